/**
 * Liveness with real processes. A long-lived child plays the agent: it runs
 * `dossier hook` beneath itself through `sh -c`, as Claude Code does. The
 * session must record that child's PID and start time; killing the child
 * must end the session with `process_exit`. A PID that now belongs to a
 * process started at another time (reuse) must end its session too, and a
 * `/clear` must leave the old session's own end alone.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../schema/index.js';
import { DOSSIER_BIN, startDaemon, type DaemonHandle } from '../support/daemon.js';
import { commonFields } from '../unit/hooks/fixture-hooks.js';
import { sessionOf, waitFor } from './hooks-support.js';

const INTERVAL_MS = 200;

/** The agent: for each JSON line on stdin, runs `sh -c 'node bin/dossier.js hook'` with it, then answers "ok". */
const AGENT_SCRIPT = `
const { spawn } = require('node:child_process');
const lines = require('node:readline').createInterface({ input: process.stdin });
const command = JSON.stringify(process.execPath) + ' ' + JSON.stringify(process.env.DOSSIER_BIN) + ' hook';
lines.on('line', (line) => {
  const hook = spawn('sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
  hook.on('close', (code) => process.stdout.write('ok ' + code + '\\n'));
  hook.stdin.end(line);
});
setInterval(() => {}, 1 << 30);
`;

/** Start time of a process read straight from /proc (Linux), independently of the code under test. */
function procStartTime(pid: number): number {
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return btime * 1000 + ticks * 10;
}

class Agent {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #answers: AsyncIterator<string>;

  constructor(daemon: DaemonHandle) {
    this.child = spawn(process.execPath, ['-e', AGENT_SCRIPT], {
      env: { ...process.env, DOSSIER_BIN, DOSSIER_HOME: daemon.home, DOSSIER_SOCKET: daemon.socket },
    });
    this.#answers = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** Runs one hook call beneath the agent and waits for it to finish. */
  async hook(payload: Record<string, unknown>): Promise<void> {
    this.child.stdin.write(`${JSON.stringify(payload)}\n`);
    const answer = await this.#answers.next();
    expect(answer.value).toBe('ok 0');
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await once(this.child, 'exit');
  }
}

const start = (sid: string, source = 'startup') => ({ ...commonFields(sid), hook_event_name: 'SessionStart', source });

describe.runIf(process.platform === 'linux')('process liveness with real processes', () => {
  let daemon: DaemonHandle;
  const agents: Agent[] = [];
  beforeAll(async () => {
    daemon = await startDaemon({ collectors: 'process', args: ['--liveness-interval', `${INTERVAL_MS}ms`] });
  });
  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.kill();
  });
  afterAll(async () => {
    await daemon?.cleanup();
  });

  it("records the agent's PID and start time through sh -c, and ends the session with process_exit when it dies", async () => {
    const sid = '7e1d0c52-0000-4000-8000-000000000001';
    const agent = new Agent(daemon);
    agents.push(agent);
    await agent.hook(start(sid));
    const pid = agent.child.pid!;
    const live = (await sessionOf(daemon, sid))!;
    expect(live.pid).toBe(pid);
    expect(live.process_start_time).toBe(procStartTime(pid));
    expect(live.status).toBe('idle');
    // Still alive after several checks, and sampled for `dossier show`.
    await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
    expect((await sessionOf(daemon, sid))!.status).toBe('idle');
    const usage = await waitFor('a CPU/memory sample', 10_000, async () => {
      const reply = await daemon.request('GET', `/v1/sessions/${sid}`);
      return (reply.json as SessionResponse).process_usage;
    });
    expect(usage.pid).toBe(pid);
    expect(usage.memory_bytes).toBeGreaterThan(1_000_000);
    expect(usage.cpu_percent).toBeGreaterThanOrEqual(0);
    const shown = await daemon.cli(['show', sid]);
    expect(shown.stdout).toContain(`process ${pid}:`);

    const killedAt = Date.now();
    await agent.kill();
    const ended = await waitFor('process_exit', 15_000, async () => {
      const s = await sessionOf(daemon, sid);
      return s?.status === 'ended' ? s : undefined;
    });
    expect(ended.end_reason).toBe('process_exit');
    expect(ended.last_ended_at! - killedAt).toBeLessThan(10_000);
  });

  it('ends a session whose PID is alive but started at another time (PID reuse)', async () => {
    const agent = new Agent(daemon);
    agents.push(agent);
    const pid = agent.child.pid!;
    await once(agent.child, 'spawn');
    const realStart = procStartTime(pid);
    const post = (sid: string, processStart: number) =>
      daemon.request('POST', '/v1/hooks/claude_code', {
        body: JSON.stringify(start(sid)),
        headers: {
          'content-type': 'application/json',
          'dossier-hook-fired-at': String(Date.now()),
          'dossier-hook-pid': String(pid),
          'dossier-hook-process-start': String(processStart),
        },
      });
    const reused = '7e1d0c52-0000-4000-8000-000000000002';
    const same = '7e1d0c52-0000-4000-8000-000000000003';
    expect((await post(reused, realStart - 3_600_000)).status).toBe(200);
    expect((await post(same, realStart)).status).toBe(200);
    const ended = await waitFor('the reused PID session to end', 15_000, async () => {
      const s = await sessionOf(daemon, reused);
      return s?.status === 'ended' ? s : undefined;
    });
    expect(ended.end_reason).toBe('process_exit');
    expect(ended.pid).toBe(pid);
    expect((await sessionOf(daemon, same))!.status).toBe('idle');
  });

  it('/clear: the old id ends with clear, the new id lives on the same PID and ends with the process', async () => {
    const before = '7e1d0c52-0000-4000-8000-000000000004';
    const after = '7e1d0c52-0000-4000-8000-000000000005';
    const agent = new Agent(daemon);
    agents.push(agent);
    await agent.hook(start(before));
    await agent.hook({ ...commonFields(before), hook_event_name: 'SessionEnd', reason: 'clear' });
    await agent.hook(start(after, 'clear'));
    const [old, fresh] = [(await sessionOf(daemon, before))!, (await sessionOf(daemon, after))!];
    expect([old.status, old.end_reason]).toEqual(['ended', 'clear']);
    expect([fresh.status, fresh.pid]).toEqual(['idle', agent.child.pid]);
    await agent.kill();
    const ended = await waitFor('the new session to end', 15_000, async () => {
      const s = await sessionOf(daemon, after);
      return s?.status === 'ended' ? s : undefined;
    });
    expect(ended.end_reason).toBe('process_exit');
    expect((await sessionOf(daemon, before))!.end_reason).toBe('clear');
  });
});

describe('sessions without a known process', () => {
  let daemon: DaemonHandle;
  beforeAll(async () => {
    daemon = await startDaemon({ collectors: 'process', args: ['--liveness-interval', `${INTERVAL_MS}ms`, '--inactivity-window', '1s'] });
  });
  afterAll(async () => {
    await daemon?.cleanup();
  });

  it('end with inactivity once the window has passed since their last activity', async () => {
    const sid = '7e1d0c52-0000-4000-8000-000000000006';
    // An agent's own HTTP hook: no forwarder, so no PID.
    const reply = await daemon.request('POST', '/v1/hooks/claude_code', {
      body: JSON.stringify({ ...commonFields(sid, 'p1'), hook_event_name: 'UserPromptSubmit', prompt: 'hello' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(200);
    const live = (await sessionOf(daemon, sid))!;
    expect([live.status, live.pid]).toEqual(['busy', null]);
    const ended = await waitFor('the inactivity end', 15_000, async () => {
      const s = await sessionOf(daemon, sid);
      return s?.status === 'ended' ? s : undefined;
    });
    expect(ended.end_reason).toBe('inactivity');
    expect(ended.last_ended_at).toBe(live.last_activity! + 1_000);
  });
});
