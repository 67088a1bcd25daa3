import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../collectors/wait.js';

describe('settleWithin', () => {
  it('settles with the work when it finishes first', async () => {
    let done = false;
    const work = new Promise<void>((resolve) => setTimeout(() => resolve(), 10)).then(() => {
      done = true;
    });
    await settleWithin(work, 60_000);
    expect(done).toBe(true);
  });

  it('gives up at the deadline when the work hangs', async () => {
    const started = Date.now();
    await settleWithin(new Promise(() => undefined), 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('treats a negative deadline as none left', async () => {
    await settleWithin(new Promise(() => undefined), -5);
  });

  it('passes on a rejection that comes before the deadline', async () => {
    await expect(settleWithin(Promise.reject(new Error('boom')), 60_000)).rejects.toThrow('boom');
  });
});
