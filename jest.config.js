// Jest runs TypeScript sources directly (swc, ESM) in four tiers, each selectable with --selectProjects.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: {
    '^@kumo/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  rootDir: '.',
};
const withPostgres = {
  globalSetup: '<rootDir>/test/support/global-postgres.ts',
  globalTeardown: '<rootDir>/test/support/global-postgres-teardown.ts',
};
export default {
  // A leaked child process or socket must never hang CI.
  forceExit: true,
  // Tests that start a kumod or a database take seconds on a loaded 2-vCPU machine; jest's 5 s
  // default failed good tests there. Each test that waits longer still sets its own timeout.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
    },
    {
      ...common,
      ...withPostgres,
      displayName: 'integration',
      testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
    },
    { ...common, ...withPostgres, displayName: 'api', testMatch: ['<rootDir>/test/api/**/*.test.ts'] },
    { ...common, ...withPostgres, displayName: 'guest', testMatch: ['<rootDir>/test/guest/**/*.test.ts'] },
    // The quickstart as a newcomer runs it, outside the test environment (scripts/test.sh).
    { ...common, displayName: 'session', testMatch: ['<rootDir>/test/session/**/*.test.ts'] },
  ],
};
