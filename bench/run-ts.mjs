// Registers bench/ts-hooks.mjs, so `node --import ./bench/run-ts.mjs bench/<name>/bench.ts` runs a
// bench written in TypeScript on node 20 (which has no type stripping of its own).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
