/**
 * Entry point of the reader worker: runs a {@link Tailer} on its own thread
 * so that reading and parsing gigabytes of transcripts never blocks the
 * daemon's thread (which commits batches and answers the API), and so that
 * the two use both cores during a backfill.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerEvent, WorkerInit } from './protocol.js';
import { Tailer } from './tailer.js';

const port = parentPort;
if (port === null) throw new Error('collectors/transcripts/worker must run as a worker thread');
const init = workerData as WorkerInit;

const tailer = new Tailer(
  init.options,
  init.checkpoints,
  {
    discovered: (plan) => send({ t: 'discovered', plan }),
    batch: (batch) => send({ t: 'batch', batch }),
    caughtUp: () => send({ t: 'caught-up' }),
    warn: (message) => send({ t: 'warn', message }),
  },
  Date.now,
  init.generation,
);

function send(msg: WorkerEvent): void {
  const full: FromWorker = { ...msg, stats: tailer.stats() };
  port!.postMessage(full);
}

port.on('message', (msg: ToWorker) => {
  try {
    switch (msg.t) {
      case 'ack':
        tailer.ack();
        break;
      case 'retry':
        tailer.retry(msg.generation, msg.committed);
        break;
      case 'rescan-all':
        tailer.rescanAll();
        break;
      case 'stop':
        tailer.stop();
        send({ t: 'stopped' });
        port!.close();
        break;
    }
  } catch (error) {
    send({ t: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

try {
  tailer.start();
} catch (error) {
  send({ t: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
