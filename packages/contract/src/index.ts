// Public surface of @kumo/contract: wire shapes and request schemas per resource, the error
// catalogue, query encoding and request signing.
export * from './errors.js';
export * from './signing.js';
export * from './query.js';
export * from './common.js';
export * from './keypairs.js';
export * from './instance-types.js';
export * from './instances.js';
export * from './disks.js';
export * from './images.js';
export * from './vpc.js';
export * from './admin.js';
export * from './services.js';
export * from './signing-tc3.js';
export * from './cvm-errors.js';
export * from './signing-tc2.js';
