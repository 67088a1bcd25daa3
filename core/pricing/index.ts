/** Offline pricing of API requests from token usage. */
export * from './table.js';
export * from './pricer.js';
export * from './bundled.js';
