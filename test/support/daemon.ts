/**
 * Starts the real, built daemon (`node bin/dossier.js daemon`) on a temp
 * state dir for integration tests, and runs the real CLI against it. Needs
 * `npm run build` first (the test command does it). Collectors are off
 * unless a test asks for them, so a test never reads the real ~/.claude or
 * binds a shared port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The `dossier` launcher, running the built code in dist/. */
export const DOSSIER_BIN = join(REPO_ROOT, 'bin', 'dossier.js');

/** How a process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Output of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A raw HTTP reply from the socket. */
export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Options of {@link startDaemon}. */
export interface StartOptions {
  /** State dir; default: a fresh temp dir (removed by `cleanup`). */
  home?: string;
  /** Socket path; default `<home>/s.sock`. */
  socket?: string;
  /** `--collectors` value; default `none`. */
  collectors?: string;
  /** Extra daemon flags (collector flags, `--log-level`, …). */
  args?: string[];
  /** Extra environment; HOME defaults to `<home>/user-home` so nothing reads the real home. */
  env?: Record<string, string>;
  /** How long to wait for the socket to answer; default 20 s. */
  readyTimeoutMs?: number;
}

/** A running daemon under test. */
export interface DaemonHandle {
  home: string;
  socket: string;
  child: ChildProcess;
  /** Settles when the process exits. */
  exited: Promise<Exit>;
  /** Everything the daemon wrote to stderr so far (its JSON logs). */
  logs(): string;
  /** Runs `dossier <args>` against this daemon's socket. */
  cli(args: string[], env?: Record<string, string>): Promise<CliRun>;
  /** Sends one raw HTTP request over the socket. */
  request(method: string, path: string, options?: { body?: string | Buffer; headers?: Record<string, string> }): Promise<RawReply>;
  /** Sends a signal (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** Stops the daemon if running and removes a temp home this helper created. */
  cleanup(): Promise<void>;
}

/** A fresh, short temp dir (Unix socket paths must stay under ~107 bytes). */
export function makeTempHome(prefix = 'dsr-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Throws a clear message when the build is missing. */
export function assertBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'daemon', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the integration tests (npm test does it)');
  }
}

/** Runs the real CLI once and collects its output and exit code. */
export function runDossier(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  assertBuilt();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [DOSSIER_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Spawns the daemon and resolves once its socket answers `GET /v1/status`. */
export async function startDaemon(options: StartOptions = {}): Promise<DaemonHandle> {
  assertBuilt();
  const ownsHome = options.home === undefined;
  const home = options.home ?? makeTempHome();
  const socket = options.socket ?? join(home, 's.sock');
  const userHome = join(home, 'user-home');
  mkdirSync(userHome, { recursive: true });
  // Extra node flags for the daemon process, e.g. `--cpu-prof` to profile it under a benchmark.
  const nodeArgs = (process.env.DOSSIER_DAEMON_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const args = [...nodeArgs, DOSSIER_BIN, 'daemon', '--home', home, '--socket', socket, '--collectors', options.collectors ?? 'none', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HOME: userHome, DOSSIER_HOME: '', DOSSIER_SOCKET: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (logs += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (logs += s));
  const exited = new Promise<Exit>((resolvePromise) => child.once('exit', (code, signal) => resolvePromise({ code, signal })));
  let running = true;
  void exited.then(() => (running = false));

  const handle: DaemonHandle = {
    home,
    socket,
    child,
    exited,
    logs: () => logs,
    cli: (cliArgs, env) => runDossier(cliArgs, { DOSSIER_SOCKET: socket, ...env }),
    request: (method, path, requestOptions) => rawRequest(socket, method, path, requestOptions),
    async stop(signal = 'SIGTERM') {
      if (running) child.kill(signal);
      return exited;
    },
    async cleanup() {
      if (running) {
        child.kill('SIGKILL');
        await exited;
      }
      if (ownsHome) rmSync(home, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (!running) {
      const exit = await exited;
      throw new Error(`daemon exited during start-up (code ${exit.code}, signal ${exit.signal}):\n${logs}`);
    }
    try {
      const reply = await rawRequest(socket, 'GET', '/v1/status');
      if (reply.status === 200) return handle;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await handle.cleanup();
      throw new Error(`daemon did not answer on ${socket} in time:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * One `key=value` of a component's status detail in a `GET /v1/status` body,
 * e.g. the transcripts collector's `phase` or `scanner`; undefined when the
 * component or the key is not there.
 */
export function statusDetailValue(status: unknown, component: string, key: string): string | undefined {
  const detail = (status as { components?: { name: string; detail?: string }[] }).components?.find((c) => c.name === component)?.detail ?? '';
  return new RegExp(`${key}=(\\w+)`).exec(detail)?.[1];
}

/** The transcripts collector's phase (`live` once its backfill is over), asked of the daemon. */
export async function transcriptsPhase(d: DaemonHandle): Promise<string | undefined> {
  return statusDetailValue((await d.request('GET', '/v1/status')).json, 'transcripts', 'phase');
}

/** One HTTP request over a Unix socket, returning status, headers and body. */
export function rawRequest(
  socket: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  return new Promise((resolvePromise, reject) => {
    let answered = false;
    const req = httpRequest({ socketPath: socket, method, path, headers: options.headers ?? {} }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    // The daemon may answer (413) and close before reading a whole oversized body.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(options.body);
  });
}
