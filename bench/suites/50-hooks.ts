/**
 * The hook forwarder's cost to an agent: wall time of one `dossier hook` run
 * (the built `bin/dossier.js hook`, payload on stdin, as Claude Code runs a
 * command hook) with the daemon up (socket, reply after commit) and with it
 * down (spool), next to a bare `node -e 0` start on the same machine. Runs
 * are sequential and the three cases interleaved, so machine noise hits all
 * three alike. Median and p99 over 200 runs each. Target: within 1.5× of a
 * bare Node start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../row.js';

const SUITE = 'hooks';
const RUNS = 200;
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(REPO, 'bin', 'dossier.js');

/** A PreToolUse payload as Claude Code 2.1.197 writes it (one tool call per run). */
function payload(i: number): string {
  return JSON.stringify({
    session_id: '0bench00-0000-4000-8000-000000000050',
    transcript_path: '/home/user/.claude/projects/-home-user-proj/0bench00-0000-4000-8000-000000000050.jsonl',
    cwd: '/home/user/proj',
    prompt_id: '0bench00-prompt',
    permission_mode: 'default',
    effort: { level: 'high' },
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: `echo ${i}`, description: 'Print a number' },
    tool_use_id: `toolu_bench_${i}`,
  });
}

function timeRun(args: string[], input: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { input, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const took = performance.now() - started;
  if (run.status !== 0 || run.stdout.length > 0) throw new Error(`${args.join(' ')} exited ${run.status} with output ${run.stdout.toString()} ${run.stderr.toString()}`);
  return took;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function statusAnswers(socket: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const req = request({ socketPath: socket, path: '/v1/status' }, (res) => {
      res.resume();
      resolvePromise(res.statusCode === 200);
    });
    req.on('error', () => resolvePromise(false));
    req.end();
  });
}

async function startDaemon(home: string, socket: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'daemon', '--home', home, '--socket', socket, '--collectors', 'none', '--log-level', 'warn'], {
    stdio: 'ignore',
    env: { ...process.env, HOME: home },
  });
  const deadline = Date.now() + 30_000;
  while (!(await statusAnswers(socket))) {
    if (Date.now() > deadline) throw new Error('the daemon did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

export async function run(): Promise<BenchRow[]> {
  const home = mkdtempSync(join(tmpdir(), 'dsb-'));
  const socket = join(home, 's.sock');
  const upEnv = { ...process.env, DOSSIER_HOME: home, DOSSIER_SOCKET: socket };
  const downEnv = { ...process.env, DOSSIER_HOME: join(home, 'down'), DOSSIER_SOCKET: join(home, 'nobody.sock') };
  const daemon = await startDaemon(home, socket);
  const bare: number[] = [];
  const up: number[] = [];
  const down: number[] = [];
  try {
    // Warm the file cache so the first runs of each case are not penalized.
    for (let i = 0; i < 5; i++) {
      timeRun(['-e', '0'], '', process.env);
      timeRun([BIN, 'hook'], payload(-1 - i), upEnv);
    }
    for (let i = 0; i < RUNS; i++) {
      bare.push(timeRun(['-e', '0'], '', process.env));
      up.push(timeRun([BIN, 'hook'], payload(i), upEnv));
      down.push(timeRun([BIN, 'hook'], payload(i), downEnv));
    }
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
  const bareMedian = percentile(bare, 50);
  const row = (name: string, values: number[]): BenchRow[] => [
    { suite: SUITE, case: `${name} median`, value: percentile(values, 50), unit: 'ms', note: `${RUNS} sequential runs` },
    { suite: SUITE, case: `${name} p99`, value: percentile(values, 99), unit: 'ms' },
  ];
  return [
    ...row('bare `node -e 0`', bare),
    ...row('dossier hook, daemon up', up),
    ...row('dossier hook, daemon down (spool)', down),
    { suite: SUITE, case: 'daemon up / bare node (median)', value: percentile(up, 50) / bareMedian, unit: '×', note: 'target ≤ 1.5' },
    { suite: SUITE, case: 'daemon down / bare node (median)', value: percentile(down, 50) / bareMedian, unit: '×', note: 'target ≤ 1.5' },
  ];
}
