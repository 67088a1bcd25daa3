/**
 * The pure merge engine: projects one session's events into its
 * `SessionRecord`, and decides request identity and ownership across
 * sessions for the store. Imports only `schema`.
 */
export type { ProjectionContext } from './types.js';
export { projectSession } from './project.js';
export { sortEvents, compareEvents } from './order.js';
export {
  requestKey,
  requestKeysOf,
  isRealRequest,
  chooseRequestOwner,
  forkedFromOf,
  SYNTHETIC_MODEL,
  type RequestClaim,
} from './requests.js';
export { MAIN_AGENT, UNKNOWN_MODEL, type CountedRequest } from './request-usage.js';
export { LIVENESS_END_REASONS } from './lifecycle.js';
export { HIDDEN_NO_AGENT_ACTIVITY } from './inventory.js';
