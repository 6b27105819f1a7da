// Public surface of @kumo/server for tests and embedding: config parsing and the daemon.
export * from './config.js';
export * from './daemon.js';
export * from './logger.js';
