/**
 * The OTLP receiver under a supervisor: an error the HTTP server emits after
 * it started listening (a failed accept, say) reaches `settings.fail` once
 * instead of escaping as an uncaught exception; a taken port still rejects
 * `start()` and reaches nothing. The servers are captured by wrapping
 * `node:http`'s `createServer`.
 */
import type { Server } from 'node:http';
import { createServer as netServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { OtlpReceiver, defaultOtlpConfig } from '../../../collectors/otlp/index.js';
import type { ComponentSettings } from '../../../core/pipeline/component.js';
import { isDossierError } from '../../../schema/index.js';
import { MemorySink, testSettings } from './harness.js';
import { pollUntil } from '../../support/poll.js';

const servers = vi.hoisted(() => [] as Server[]);
vi.mock('node:http', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:http')>();
  const createServer = ((...args: Parameters<typeof original.createServer>) => {
    const server = original.createServer(...args);
    servers.push(server);
    return server;
  }) as typeof original.createServer;
  return { ...original, default: { ...original, createServer }, createServer };
});

function supervised(http: string): { receiver: OtlpReceiver; failures: unknown[]; settings: ComponentSettings & { counters: { get(name: string): number } } } {
  const failures: unknown[] = [];
  const settings = { ...testSettings(), fail: (error: unknown) => failures.push(error) };
  const receiver = new OtlpReceiver(settings, { ...defaultOtlpConfig(), http, grpc: 'off' }, new MemorySink());
  return { receiver, failures, settings };
}

describe('OTLP receiver supervision', () => {
  it('an HTTP server error after listening reaches fail once; later ones are counted', async () => {
    const { receiver, failures, settings } = supervised('127.0.0.1:0');
    await receiver.start();
    const server = servers.at(-1)!;
    expect(server.listening).toBe(true);
    const broken = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
    server.emit('error', broken);
    server.emit('error', broken);
    await pollUntil('a failure reported to the supervisor', () => failures.length > 0, { timeoutMs: 20_000, intervalMs: 5 });
    expect(failures).toEqual([broken]);
    expect(settings.counters.get('otlp.http.door_errors')).toBe(2);
    await receiver.shutdown(1_000);
  });

  it('a taken port still rejects start and is not reported to the supervisor', async () => {
    const taken = netServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { receiver, failures } = supervised(`127.0.0.1:${port}`);
      await expect(receiver.start()).rejects.toSatisfy((e) => isDossierError(e, 'DOSSIER_E_DAEMON_PORT_IN_USE'));
      expect(failures).toEqual([]);
      await receiver.shutdown(100);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
