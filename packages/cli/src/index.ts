// Public surface of @kumo/cli for tests and embedding: the program builder, runner, formatting and exit codes.
export * from './program.js';
export * from './format.js';
export * from './errors.js';
export * from './context.js';
