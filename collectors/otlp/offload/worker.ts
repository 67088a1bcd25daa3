/**
 * Entry point of a decode worker: decodes and maps the logs and traces
 * requests the receiver hands it, so that a burst of exports uses the second
 * core while the receiver's thread commits. Metrics are sent back untouched:
 * turning cumulative series into deltas needs state the receiver owns.
 */
import { parentPort } from 'node:worker_threads';
import { eventColumns } from '../../../core/pipeline/event-columns.js';
import { CumulativeSeries } from '../claude/cumulative.js';
import { mapRequest } from '../claude/map-request.js';
import { DecodeError, decodeRequest } from '../decode.js';
import { countItems } from '../model.js';
import type { DecodeReply, DecodeTask } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('collectors/otlp/offload/worker must run as a worker thread');
/** Logs and traces never touch series state; mapRequest only needs an instance. */
const noSeries = new CumulativeSeries(new Map(), 1);

port.on('message', (task: DecodeTask) => {
  port.postMessage(handle(task));
});
port.postMessage({ kind: 'ready' });

function handle(task: DecodeTask): DecodeReply {
  const body = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength);
  let request;
  try {
    request = decodeRequest(body, task.encoding, task.signal, task.limits);
  } catch (err) {
    return { id: task.id, kind: 'invalid', message: err instanceof DecodeError ? err.message : `undecodable body: ${String(err)}` };
  }
  if (request === 'empty') return { id: task.id, kind: 'empty' };
  if (request.signal === 'metrics') return { id: task.id, kind: 'main-thread' };
  const { result } = mapRequest(request, task.receivedAt, noSeries, task.mapping);
  return {
    id: task.id,
    kind: 'mapped',
    signal: request.signal,
    items: countItems(request),
    events: eventColumns(result.events),
    rejected: result.rejected,
    firstRejection: result.firstRejection,
    ignored: result.ignored,
    foreign: result.foreign,
    withoutSession: result.withoutSession,
  };
}
