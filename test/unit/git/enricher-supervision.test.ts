/**
 * The git enricher under a supervisor: when its background loop dies, the
 * failure reaches `settings.fail` (and still shows in `last_problem`). The
 * loop is broken by an injected clock that throws.
 */
import { describe, expect, it } from 'vitest';
import { defaultGitConfig, gitEnricherFactory } from '../../../collectors/git/index.js';
import type { ComponentSettings } from '../../../core/pipeline/component.js';
import { RecordingSink, settingsFor } from './harness.js';
import { pollUntil } from '../../support/poll.js';

describe('git enricher supervision', () => {
  it('a loop that stops reports its error to the supervisor once', async () => {
    const broken = new Error('clock unavailable');
    let clockBroken = true;
    const failures: unknown[] = [];
    const sink = new RecordingSink();
    const settings: ComponentSettings = {
      ...settingsFor(sink),
      now: () => {
        if (clockBroken) throw broken;
        return Date.now();
      },
      fail: (error) => failures.push(error),
    };
    const component = gitEnricherFactory.create(settings, defaultGitConfig(), sink);
    await component.start();
    await pollUntil('a failure reported to the supervisor', () => failures.length > 0, { timeoutMs: 20_000, intervalMs: 5 });
    expect(failures).toEqual([broken]);
    clockBroken = false;
    expect(component.status?.()).toMatchObject({ last_problem: 'loop stopped: clock unavailable' });
    await component.shutdown(1_000);
    expect(failures).toHaveLength(1);
  });
});
