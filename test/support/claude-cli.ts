/**
 * Runs the real Claude Code CLI (npm `@anthropic-ai/claude-code`, native
 * binary) offline for end-to-end tests: a temp HOME and project dir, a clean
 * environment that points the CLI at the mock Messages API and at a proxy
 * that refuses every connection (so it never waits on the vendor's servers),
 * and a hard timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { startRefusingProxy, type RefusingProxy } from './claude-cli-proxy.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Smaller than this, a `claude` file is the npm wrapper's placeholder, not the real binary. */
const MIN_BINARY_BYTES = 10 * 1024 * 1024;

/**
 * Absolute path of the native `claude` binary. The platform package holds it
 * even when the wrapper's postinstall (which copies it to `bin/claude.exe`)
 * did not run; the wrapper's copy is the fallback. Throws naming every path
 * tried when none is the real binary.
 */
export function locateClaudeBinary(root: string = repoRoot): string {
  const scope = join(root, 'node_modules', '@anthropic-ai');
  const platform = `claude-code-${process.platform}-${process.arch}`;
  const candidates = [join(scope, platform, 'claude'), join(scope, `${platform}-musl`, 'claude'), join(scope, 'claude-code', 'bin', 'claude.exe')];
  for (const path of candidates) {
    if (existsSync(path) && statSync(path).size >= MIN_BINARY_BYTES) return path;
  }
  throw new Error(`real Claude Code binary not found; tried: ${candidates.join(', ')}`);
}

/** A temp HOME and project dir for one scenario. */
export interface Sandbox {
  root: string;
  home: string;
  /** The project dir (realpath: the CLI records the resolved cwd). */
  project: string;
  /** Makes another dir under the sandbox root (a second project, …). */
  dir(name: string): string;
  remove(): void;
}

/** Creates a sandbox under the OS temp dir. */
export function makeSandbox(label: string): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `dossier-e2e-${label}-`)));
  const dir = (name: string): string => {
    const p = join(root, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  return { root, home: dir('home'), project: dir('proj'), dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** What {@link claudeEnv} needs. */
export interface ClaudeEnvOptions {
  home: string;
  /** Base URL of the mock Messages API. */
  mockUrl: string;
  /** URL of a proxy that refuses connections (see `startRefusingProxy`). */
  proxyUrl: string;
  /** Dirs put in front of PATH (e.g. one holding a `dossier` launcher). */
  pathPrepend?: string[];
  /** Added last; wins over everything above. */
  extra?: Record<string, string>;
}

/**
 * A clean environment for the CLI: nothing is inherited but PATH and the
 * locale basics, so variables of the machine running the tests (API keys,
 * OTEL_*, CLAUDE_*) can never leak into a scenario.
 */
export function claudeEnv(opts: ClaudeEnvOptions): Record<string, string> {
  const path = [...(opts.pathPrepend ?? []), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(':');
  return {
    PATH: path,
    HOME: opts.home,
    USER: process.env.USER ?? 'root',
    LOGNAME: process.env.USER ?? 'root',
    SHELL: '/bin/bash',
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    ANTHROPIC_BASE_URL: opts.mockUrl,
    ANTHROPIC_API_KEY: 'sk-ant-e2e-mock-key',
    HTTPS_PROXY: opts.proxyUrl,
    HTTP_PROXY: opts.proxyUrl,
    https_proxy: opts.proxyUrl,
    http_proxy: opts.proxyUrl,
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_IDE_SKIP_AUTO_INSTALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    ...(opts.extra ?? {}),
  };
}

/** The `result` object `--output-format json` prints (the fields the tests read). */
export interface ClaudeResultJson {
  type: 'result';
  subtype: string;
  is_error: boolean;
  session_id: string;
  num_turns: number;
  result?: string;
  api_error_status?: number | null;
  total_cost_usd: number;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens: number;
    cache_creation_input_tokens: number;
  };
  [key: string]: unknown;
}

/** One finished CLI run. */
export interface ClaudeRun {
  argv: string[];
  cwd: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** The parsed result line of `--output-format json`, or null if stdout had none. */
  result: ClaudeResultJson | null;
  pid: number | undefined;
}

/** Options of {@link runClaude}. */
export interface RunClaudeOptions {
  cwd: string;
  env: Record<string, string>;
  /** Arguments after `claude`. */
  args: string[];
  timeoutMs?: number;
  binary?: string;
}

function parseResult(stdout: string): ClaudeResultJson | null {
  const lines = stdout.split('\n').filter((l) => l.trim().startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v = JSON.parse(lines[i]!) as { type?: unknown };
      if (v.type === 'result') return v as ClaudeResultJson;
    } catch {
      // A partial line is not the result; keep looking.
    }
  }
  return null;
}

/**
 * Runs the CLI to completion in its own process group and returns what it
 * printed. On timeout the whole group (tool subprocesses included) is killed
 * and `timedOut` is set; the promise itself never rejects for a failing run.
 */
export function runClaude(opts: RunClaudeOptions): Promise<ClaudeRun> {
  const binary = opts.binary ?? locateClaudeBinary();
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }, opts.timeoutMs ?? 90_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({
        argv: ['claude', ...opts.args],
        cwd: opts.cwd,
        exitCode,
        signal,
        timedOut,
        durationMs: Date.now() - started,
        stdout,
        stderr,
        result: parseResult(stdout),
        pid: child.pid,
      });
    });
  });
}

/** Transcript files the CLI wrote under `<home>/.claude/projects`, main and subagent ones, sorted. */
export function listTranscripts(home: string): string[] {
  const root = join(home, '.claude', 'projects');
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.jsonl')) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Describes a run for assertion messages: argv, exit, and the tail of stderr. */
export function describeRun(run: ClaudeRun): string {
  return `${run.argv.join(' ')} → exit ${run.exitCode} signal ${run.signal}${run.timedOut ? ' (timed out)' : ''} in ${run.durationMs} ms; stderr: ${run.stderr.slice(-800)}`;
}
