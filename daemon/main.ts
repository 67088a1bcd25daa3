/**
 * The composition root and the only place that exits the process. Starts
 * downstream first (store, pipeline, API, then collectors) and stops in
 * reverse: collectors, API writes, pipeline drain and commit, API, store.
 * The socket file disappears last, so its presence means a daemon is still
 * there.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ProcessUsage, StatusResponse } from '../schema/index.js';
import { Counters } from '../core/pipeline/counters.js';
import { IngestPipeline } from '../core/pipeline/ingest-pipeline.js';
import { ChangeFeed } from '../core/query/change-feed.js';
import { openStore, type Store } from '../core/store/index.js';
import { Pricer } from '../core/pricing/index.js';
import { describePrices, loadEffectivePrices, priceOverridePath } from '../core/pricing/user-table.js';
import { CwdHub, tapSink } from '../collectors/git/index.js';
import { apiRoutes } from './api/routes.js';
import { ApiServer } from './api/server.js';
import type { DaemonOptions } from './cli/daemon.js';
import { EXIT, type ExitCode } from './cli/exit-codes.js';
import type { CliIo } from './cli/io.js';
import { reportError } from './cli/report-error.js';
import { ComponentStates } from './component-states.js';
import { COLLECTORS, selectCollectors } from './components.js';
import { createRootLogger, setLogLevel } from './logger.js';
import { reloadDaemonConfig } from './config/reload.js';
import { RotatingLogFile } from './service/log-file.js';
import { daemonLogPath } from './service/manager.js';
import type { CollectorSupervisor } from './service/supervisor.js';
import { startCollectors } from './collector-startup.js';
import { daemonLogDestination } from './service/pretty-log.js';
import { liveSessionsFrom } from './live-sessions.js';
import { loadMachineId } from './machine-id.js';
import { ensurePrivateDirs, resolvePaths } from './paths.js';
import { statusOf } from './status-snapshot.js';
import { claimSocketPath } from './socket-guard.js';
import { acquireInstanceLock, type InstanceLock } from './service/instance-lock.js';
import { backupDatabase } from '../core/store/backup.js';
import { RetentionRunner } from '../core/store/gc-schedule.js';
import { DOSSIER_VERSION } from './version.js';

/** Default age after which gc prunes bulky raw attributes, days. */
const DEFAULT_RETENTION_DAYS = 90;

/** Time budgets of a clean stop, ms: collectors first, then everything else. */
const STOP_BUDGET = { collectors: 5_000, pipeline: 10_000, api: 2_000 } as const;

/** The running parts, each null until it has started. */
interface Parts {
  logger: Logger;
  store: Store | null;
  pipeline: IngestPipeline | null;
  api: ApiServer | null;
  collectors: { type: string; component: CollectorSupervisor }[];
  states: ComponentStates;
  /** The state dir's PID lock, released last. */
  lock: InstanceLock | null;
  retention: RetentionRunner | null;
}

/**
 * Runs the daemon until SIGTERM/SIGINT, then stops cleanly and exits 0. A
 * second signal exits at once. Start-up failures print `Error: …` and exit
 * with the CLI's codes (1; 2 for bad flags or config).
 */
export async function runDaemon(opts: DaemonOptions, io: CliIo): Promise<ExitCode> {
  let parts: Parts;
  try {
    parts = await start(opts, io.env);
  } catch (error) {
    process.exit(reportError(error, io, 'daemon'));
  }
  const { logger } = parts;
  let stopping = false;
  const stopAndExit = (code: ExitCode): void => {
    stopping = true;
    stop(parts).then(
      () => process.exit(code),
      (error: unknown) => {
        logger.error({ err: error }, 'clean stop failed');
        process.exit(EXIT.error);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(EXIT.error);
    }
    logger.info({ signal }, 'stopping');
    stopAndExit(EXIT.ok);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let running = opts;
  process.on('SIGHUP', () => {
    const reload = opts.reload;
    if (reload === undefined) return;
    running = reloadDaemonConfig(running, reload, {
      setLogLevel: (level) => setLogLevel(logger, level),
      setRetentionDays: (days) => parts.retention?.setRetentionDays(days ?? DEFAULT_RETENTION_DAYS),
    }, logger).options;
  });
  // Request handlers already turn their failures into 500s; these catch bugs elsewhere.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception: stopping');
    if (!stopping) stopAndExit(EXIT.error);
  });
  return new Promise<ExitCode>(() => {});
}

async function start(opts: DaemonOptions, env: CliIo['env']): Promise<Parts> {
  const paths = resolvePaths({ home: opts.home, socket: opts.socket, env });
  // The user's price file is validated here, once: a bad one stops the start with its path and field.
  const effectivePrices = loadEffectivePrices(priceOverridePath(env));
  const prices = describePrices(effectivePrices);
  const cwdHub = new CwdHub();
  const prepared = selectCollectors(COLLECTORS, opts.collectors).map((plan) =>
    plan.prepare(opts.collectorFlags, { env, home: paths.home, promptText: opts.promptText, cwdFeed: cwdHub.subscribe }),
  );
  ensurePrivateDirs(paths);
  const logFile = opts.logFile === 'off' ? null : new RotatingLogFile(opts.logFile ?? daemonLogPath(join(paths.home, 'logs')));
  const logger = createRootLogger(opts.logLevel, daemonLogDestination(logFile, process.stderr.isTTY === true));
  // One daemon per home: a second one fails here, naming the first one's PID.
  const lock = acquireInstanceLock(paths.home);
  const parts: Parts = { logger, store: null, pipeline: null, api: null, collectors: [], states: new ComponentStates(), lock, retention: null };
  try {
    if ((await claimSocketPath(paths.socket)) === 'removed-stale') {
      logger.info({ socket: paths.socket }, 'removed a stale socket file');
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  try {
    const startedAt = Date.now();
    const counters = new Counters();
    const machineId = loadMachineId({ persistedPath: paths.machineIdFile });
    const store = openStore(paths.db, {
      machineId,
      price: new Pricer(effectivePrices.table).price,
      logger: logger.child({ component: 'store' }),
      ...(opts.eventCache === undefined ? {} : { eventCacheEvents: opts.eventCache }),
    });
    parts.store = store;
    parts.states.set('store', 'running', paths.db);
    const retention = new RetentionRunner({ path: paths.db, retentionDays: opts.retentionDays ?? DEFAULT_RETENTION_DAYS, logger: logger.child({ component: 'retention' }), now: Date.now });
    parts.retention = retention;
    retention.start();
    const pipeline = new IngestPipeline(store.writer, { logger: logger.child({ component: 'pipeline' }) });
    parts.pipeline = pipeline;
    // Every committed batch's cwds reach the git enricher through this tap.
    const sink = tapSink(pipeline, cwdHub);
    // The watch stream's change log: one position per touched session of every committed batch.
    const changes = new ChangeFeed({ epoch: `${startedAt.toString(36)}${process.pid.toString(36)}` });
    pipeline.onCommitted((batch) => changes.record(batch.touched_sessions));
    parts.states.set('pipeline', 'running');
    // Hook calls reach the socket and the loopback door directly; the collectors get the same setting through their configs.
    const hookOptions = { includePromptText: opts.promptText === 'keep' };
    const status = (): StatusResponse => statusOf(paths, startedAt, store, pipeline, counters, parts.states);
    // The liveness collector samples session processes; bound once it exists (it starts after the API).
    let processUsage: (id: string) => ProcessUsage | undefined = () => undefined;
    const api = new ApiServer({
      routes: apiRoutes({
        reader: store.reader,
        sink,
        changes,
        rebuild: () => {
          const rebuilt = store.writer.rebuild();
          // Every record may have changed: open watch streams start over from a snapshot.
          changes.reset();
          return rebuilt;
        },
        // Collectors that can re-read their inputs from the start expose requestRescan() (the transcripts collector).
        rescan: () =>
          parts.collectors.flatMap(({ type, component }) => {
            const rescannable = component.current as { requestRescan?: () => void } | null;
            if (typeof rescannable?.requestRescan !== 'function') return [];
            rescannable.requestRescan();
            return [type];
          }),
        status,
        prices: () => prices,
        backup: (request) => backupDatabase(paths.db, request.path, { overwrite: request.overwrite }),
        gc: (request) => retention.run(request),
        now: Date.now,
        counters,
        processUsage: (id) => processUsage(id),
        hookOptions,
      }),
      version: DOSSIER_VERSION,
      logger: logger.child({ component: 'api' }),
      counters,
    });
    await api.listen(paths.socket);
    parts.api = api;
    parts.states.set('api', 'running', paths.socket);
    await startCollectors(prepared, {
      logger,
      counters,
      checkpoints: store.writer,
      home: paths.home,
      liveSessions: liveSessionsFrom(store.reader),
      sink,
      states: parts.states,
      hookOptions,
      onProcessUsage: (usageOf) => (processUsage = usageOf),
      started: (type, component) => parts.collectors.push({ type, component }),
    });
    logger.info(
      { version: DOSSIER_VERSION, pid: process.pid, home: paths.home, socket: paths.socket, db: paths.db, collectors: prepared.map((c) => c.type) },
      'daemon started',
    );
    return parts;
  } catch (error) {
    await stop(parts);
    throw error;
  }
}

/** Stops whatever has started, in reverse order. Never throws for one part's failure; logs it. */
async function stop(parts: Parts): Promise<void> {
  const { logger, states } = parts;
  const attempt = async (name: string, work: () => Promise<void> | void): Promise<void> => {
    states.set(name, 'stopping');
    try {
      await work();
      states.set(name, 'stopped');
    } catch (error) {
      states.set(name, 'failed', error instanceof Error ? error.message : String(error));
      logger.error({ err: error, component: name }, 'component failed to stop');
    }
  };
  const collectorsDeadline = Date.now() + STOP_BUDGET.collectors;
  for (const { type, component } of [...parts.collectors].reverse()) {
    await attempt(type, () => component.shutdown(Math.max(0, collectorsDeadline - Date.now())));
  }
  parts.api?.closeWrites();
  const pipeline = parts.pipeline;
  if (pipeline) await attempt('pipeline', () => pipeline.stop(STOP_BUDGET.pipeline));
  const api = parts.api;
  if (api) await attempt('api', () => api.close(STOP_BUDGET.api));
  const retention = parts.retention;
  if (retention) await attempt('retention', () => retention.stop());
  const store = parts.store;
  if (store) await attempt('store', () => store.close());
  parts.lock?.release();
  logger.info({ pipeline: pipeline?.counters() }, 'daemon stopped');
}
