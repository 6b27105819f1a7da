// Types of the globals jest injects into every test file (describe, test, expect, …), taken from jest's
// own @jest/globals so the test tsconfig needs no separate @types/jest that could drift from jest.
import type * as globals from '@jest/globals';

declare global {
  const afterAll: typeof globals.afterAll;
  const afterEach: typeof globals.afterEach;
  const beforeAll: typeof globals.beforeAll;
  const beforeEach: typeof globals.beforeEach;
  const describe: typeof globals.describe;
  const expect: typeof globals.expect;
  const it: typeof globals.it;
  const jest: typeof globals.jest;
  const test: typeof globals.test;
}
