/**
 * The spool under load: with no daemon running, 1,000 `dossier hook` runs
 * (64 at a time) must all exit 0 silently and leave 1,000 whole records;
 * once the daemon starts, all 1,000 events are in the ledger exactly once
 * and the spool is empty.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempHome, startDaemon, type DaemonHandle } from '../support/daemon.js';
import { commonFields } from '../unit/hooks/fixture-hooks.js';
import { eventsOf, inPool, runHook, sessionOf, waitFor } from './hooks-support.js';

const CALLS = 1_000;
const IN_FLIGHT = 64;
const SESSION = '5b001000-0000-4000-8000-000000000001';

describe('the hook spool with the daemon down', () => {
  const home = makeTempHome();
  let daemon: DaemonHandle | undefined;
  afterAll(async () => {
    await daemon?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it(`loses nothing of ${CALLS} concurrent hook calls and ingests each exactly once`, { timeout: 900_000 }, async () => {
    const env = { DOSSIER_HOME: home, DOSSIER_SOCKET: join(home, 's.sock') };
    const payloads = Array.from({ length: CALLS }, (_, i) =>
      JSON.stringify({
        ...commonFields(SESSION, 'prompt-1'),
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: `echo ${i}`, description: `call ${i}` },
        tool_use_id: `toolu_spool_${String(i).padStart(4, '0')}`,
      }),
    );
    const runs = await inPool(payloads, IN_FLIGHT, (body) => runHook(body, env));
    expect(runs.filter((r) => r.code !== 0 || r.stdout !== '' || r.stderr !== '')).toEqual([]);
    const spool = join(home, 'hooks-spool');
    expect(readdirSync(spool).filter((n) => n.endsWith('.hook'))).toHaveLength(CALLS);
    expect(readdirSync(spool).filter((n) => !n.endsWith('.hook'))).toEqual([]);

    daemon = await startDaemon({ home, collectors: 'hooks', args: ['--hooks-spool-interval', '200ms'] });
    const session = await waitFor('all spooled calls', 120_000, async () => {
      const s = await sessionOf(daemon!, SESSION);
      return s && s.tool_call_count === CALLS ? s : undefined;
    });
    expect(session.tool_call_count).toBe(CALLS);
    const called = (await eventsOf(daemon, SESSION)).filter((e) => e.kind === 'tool.called');
    expect(called).toHaveLength(CALLS);
    expect(new Set(called.map((e) => e.kind === 'tool.called' && e.attrs.tool_use_id)).size).toBe(CALLS);
    await waitFor('an empty spool', 10_000, async () => (readdirSync(spool).length === 0 ? true : undefined));
  });
});
