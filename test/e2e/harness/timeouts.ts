/**
 * Time limits of the end-to-end suite, generous for a slow, shared 2-core
 * CI machine. They bound a hang; they never judge speed (benchmarks do).
 */

/** One scenario test: CLI runs (each up to its own timeout) plus the settle wait. */
export const SCENARIO_TIMEOUT_MS = 240_000;
