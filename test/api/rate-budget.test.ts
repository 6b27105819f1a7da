// The leased rate budget's documented bound (packages/server/src/auth/rate-budget.ts) with two
// kumods on one database: under concurrent load through both, an operation's budget admits
// exactly its limit in the window, never more (overshoot 0) and, with no kumod crashing, no fewer.
import { KumoApiError } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { clientFor, removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

let a: KumodProcess;
let b: KumodProcess;
let dbUrl: string;
const LIMIT = 80;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  const env = { DATABASE_URL: dbUrl, KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: String(LIMIT) };
  a = await startKumod(env);
  b = await startKumod(env, { adminCredentials: a.credentials });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  for (const k of [a, b]) if (k) removeDataDir(k.dataDir);
  await dropTestDatabase(dbUrl);
});

test('400 calls, 16 at a time, through two kumods: exactly the limit passes, the rest get 429', async () => {
  const keys = await a.admin().adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'budget' },
  });
  const clients = [clientFor(a.endpoint, keys), clientFor(b.endpoint, keys)];
  const outcomes: string[] = [];
  // Eight callers per kumod, 25 calls each, all at once.
  await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      for (let n = 0; n < 25; n++) {
        outcomes.push(
          await clients[i % 2]!.describeKeypairs().then(
            () => 'ok',
            (e: unknown) => (e instanceof KumoApiError ? `${e.httpStatus} ${e.status}` : String(e)),
          ),
        );
      }
    }),
  );
  const count = (o: string) => outcomes.filter((x) => x === o).length;
  expect({ ok: count('ok'), limited: count('429 RATE_LIMIT'), total: outcomes.length }).toEqual({
    ok: LIMIT,
    limited: 400 - LIMIT,
    total: 400,
  });
}, 60_000);
