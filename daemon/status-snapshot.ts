/**
 * The daemon's answer to `GET /v1/status`: version, process, paths, database
 * totals, memory, pipeline and collector counters, and every component's
 * state, read fresh on each call. Built for the composition root.
 */
import { API_VERSION, type StatusResponse } from '../schema/index.js';
import type { Counters } from '../core/pipeline/counters.js';
import type { IngestPipeline } from '../core/pipeline/ingest-pipeline.js';
import type { Store } from '../core/store/index.js';
import type { ComponentStates } from './component-states.js';
import type { DossierPaths } from './paths.js';
import { DOSSIER_VERSION } from './version.js';

/** A status snapshot of this process as of now; `startedAt` is when the daemon started (epoch ms), for the uptime. */
export function statusOf(
  paths: DossierPaths,
  startedAt: number,
  store: Store,
  pipeline: IngestPipeline,
  counters: Counters,
  states: ComponentStates,
): StatusResponse {
  const totals = store.reader.totals();
  return {
    daemon_version: DOSSIER_VERSION,
    api_version: API_VERSION,
    pid: process.pid,
    started_at: startedAt,
    uptime_ms: Date.now() - startedAt,
    home: paths.home,
    socket: paths.socket,
    database: {
      path: paths.db,
      bytes: totals.bytes,
      schema_version: totals.schema_version,
      events: totals.events,
      sessions: totals.sessions,
      event_cache: store.writer.cacheStats(),
    },
    memory: memorySnapshot(),
    pipeline: pipeline.counters(),
    counters: counters.snapshot(),
    components: states.snapshot(),
  };
}

/** The process's memory for `dossier status`, bytes. */
function memorySnapshot(): StatusResponse['memory'] {
  const m = process.memoryUsage();
  return { rss: m.rss, heap_used: m.heapUsed, heap_total: m.heapTotal, external: m.external };
}
