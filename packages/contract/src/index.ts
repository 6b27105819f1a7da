// Public surface of @kumo/contract: wire types, enums, the error catalogue and request signing.
export * from './errors.js';
export * from './signing.js';
export * from './query.js';
export * from './wire.js';
export * from './services.js';
