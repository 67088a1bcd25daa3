/** Public surface of the schema package: types, validators, limits and error codes. */
export * from './sources.js';
export * from './limits.js';
export * from './events.js';
export * from './validate.js';
export * from './session.js';
export * from './errors.js';
export * from './api.js';
