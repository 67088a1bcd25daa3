/**
 * One end-to-end scenario's world: a temp HOME and project, the mock
 * Messages API, a proxy that refuses all egress, the real dossier daemon on a
 * temp state dir and free ports, and `dossier setup claude` run into that
 * HOME. Scenarios then run the real CLI and read dossier's records.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionRecord, SessionListResponse, SessionResponse, SessionEventsResponse, StoredEvent } from '../../../schema/index.js';
import { claudeEnv, makeSandbox, runClaude, startRefusingProxy, type ClaudeRun, type RefusingProxy, type Sandbox } from '../../support/claude-cli.js';
import { DOSSIER_BIN, startDaemon, type CliRun, type DaemonHandle } from '../../support/daemon.js';
import { startMockAnthropic, type MockAnthropic, type MockScript } from '../../support/mock-anthropic.js';
import { freePorts } from './ports.js';
import { setupClaude, type OtlpProtocol } from './setup-claude.js';

export type { OtlpProtocol } from './setup-claude.js';

/**
 * Time limit of one scenario test (CLI runs plus the settle wait), generous
 * for a slow, shared 2-core CI machine: it bounds a hang, it never judges
 * speed (benchmarks do).
 */
export const SCENARIO_TIMEOUT_MS = 240_000;

/** Options of {@link startScenario}. */
export interface ScenarioOptions {
  label: string;
  scripts?: readonly MockScript[];
  /** The OTLP protocol `dossier setup claude` configures; default `http/protobuf`. */
  otlpProtocol?: OtlpProtocol;
  /**
   * Create `~/.claude` before the daemon starts, as on any machine where
   * Claude Code has run before (default true). False models a fresh machine
   * where the daemon starts first and the directory appears later.
   */
  claudeDirBeforeDaemon?: boolean;
}

/** A running scenario. */
export interface Scenario {
  readonly label: string;
  readonly sandbox: Sandbox;
  readonly mock: MockAnthropic;
  readonly proxy: RefusingProxy;
  readonly daemon: DaemonHandle;
  readonly setup: CliRun;
  /** Runs `claude <args>` (in the project dir unless `cwd` says otherwise). */
  claude(args: string[], options?: { cwd?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ClaudeRun>;
  /** The session's record, or null when dossier does not know it. */
  record(sessionId: string): Promise<SessionRecord | null>;
  /** Every session dossier knows, hidden ones included. */
  allSessions(): Promise<SessionRecord[]>;
  /** The session's stored events of one source and kind (first page, up to 1000). */
  events(sessionId: string, filter: { source: string; kind: string }): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

/** A `dossier` launcher on the CLI's PATH, for hook commands that call `dossier` by name. */
function writeLauncher(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'dossier');
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${DOSSIER_BIN}" "$@"\n`);
  chmodSync(path, 0o755);
}

/**
 * Waits until the transcripts collector has finished its start-up scan (its
 * "backfill done" log line), at most 5 s: a fresh-machine scenario must
 * create ~/.claude after the daemon looked for it, not race with that look.
 */
async function untilCollectorsSettled(daemon: DaemonHandle): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && !daemon.logs().includes('transcripts backfill done')) await new Promise((r) => setTimeout(r, 50));
}

/** Starts everything a scenario needs; on failure, stops what it started and rethrows. */
export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const sandbox = makeSandbox(options.label);
  const started: { close(): Promise<void> }[] = [];
  try {
    const mock = await startMockAnthropic({ scripts: options.scripts ?? [] });
    started.push(mock);
    const proxy = await startRefusingProxy();
    started.push(proxy);
    if (options.claudeDirBeforeDaemon ?? true) mkdirSync(join(sandbox.home, '.claude'), { recursive: true });
    const [httpPort, grpcPort] = (await freePorts(2)) as [number, number];
    const daemon = await startDaemon({
      home: sandbox.dir('state'),
      socket: join(sandbox.root, 'd.sock'),
      collectors: 'all',
      args: ['--otlp-http', `127.0.0.1:${httpPort}`, '--otlp-grpc', `127.0.0.1:${grpcPort}`],
      env: { HOME: sandbox.home },
    });
    started.push({ close: () => daemon.cleanup() });
    if (!(options.claudeDirBeforeDaemon ?? true)) await untilCollectorsSettled(daemon);
    const protocol = options.otlpProtocol ?? 'http/protobuf';
    const binDir = sandbox.dir('bin');
    writeLauncher(binDir);
    const setup = await setupClaude(daemon, { home: sandbox.home, binDir, protocol, httpPort, grpcPort });
    const baseEnv = claudeEnv({
      home: sandbox.home,
      mockUrl: mock.url,
      proxyUrl: proxy.url,
      pathPrepend: [binDir],
      extra: {
        DOSSIER_SOCKET: daemon.socket,
        DOSSIER_HOME: daemon.home,
        // Three attempts in all, so a fatal error gives up in seconds, not minutes.
        CLAUDE_CODE_MAX_RETRIES: '2',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        OTEL_LOGS_EXPORT_INTERVAL: '1000',
        OTEL_TRACES_EXPORT_INTERVAL: '1000',
      },
    });
    const getJson = async <T>(path: string): Promise<T | null> => {
      const reply = await daemon.request('GET', path);
      if (reply.status === 404) return null;
      if (reply.status !== 200) throw new Error(`GET ${path} → ${reply.status}: ${reply.text.slice(0, 500)}`);
      return reply.json as T;
    };
    return {
      label: options.label,
      sandbox,
      mock,
      proxy,
      daemon,
      setup,
      claude: (args, o = {}) => runClaude({ cwd: o.cwd ?? sandbox.project, env: { ...baseEnv, ...(o.env ?? {}) }, args, timeoutMs: o.timeoutMs ?? 90_000 }),
      record: async (id) => (await getJson<SessionResponse>(`/v1/sessions/${encodeURIComponent(id)}`))?.session ?? null,
      allSessions: async () => {
        const out: SessionRecord[] = [];
        let cursor: string | null = null;
        do {
          const q: string = `/v1/sessions?all=true&limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
          const page: SessionListResponse | null = await getJson<SessionListResponse>(q);
          out.push(...(page?.sessions ?? []));
          cursor = page?.next_cursor ?? null;
        } while (cursor !== null);
        return out;
      },
      events: async (id, filter) => {
        const q = new URLSearchParams({ source: filter.source, kind: filter.kind, limit: '1000' });
        return (await getJson<SessionEventsResponse>(`/v1/sessions/${encodeURIComponent(id)}/events?${q.toString()}`))?.events ?? [];
      },
      close: async () => {
        for (const s of started.reverse()) await s.close();
        sandbox.remove();
      },
    };
  } catch (error) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    sandbox.remove();
    throw error;
  }
}
