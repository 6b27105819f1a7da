// Public surface of @kumo/store: the database pool, migrations and one model per table group.
export * from './db.js';
export * from './errors.js';
export * from './ids.js';
export * from './locks.js';
export * from './migrate.js';
export { migrations } from './migrations/index.js';
export * from './tables/accounts.js';
export * from './tables/keypairs.js';
export * from './tables/request-guards.js';
export * from './tables/hosts.js';
export * from './tables/images.js';
export * from './tables/subnets.js';
export * from './tables/instances.js';
export * from './tables/instance-tasks.js';
export * from './tables/instance-actions.js';
export * from './tables/console-tokens.js';
