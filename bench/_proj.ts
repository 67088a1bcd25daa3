import { projectSession, sortEvents } from '../core/merge/index.js';
import { generateSession } from '../bench/suites/20-merge.js';
const events = sortEvents(generateSession(100_000));
for (let i = 0; i < 3; i++) projectSession(events, { machine_id: 'm' });
const t0 = performance.now();
for (let i = 0; i < 10; i++) projectSession(events, { machine_id: 'm' });
console.log('per event µs', ((performance.now() - t0) / 10 / events.length * 1000).toFixed(2));
