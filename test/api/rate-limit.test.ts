// API rate limits: per operation and per account, shared by two kumod processes on one database.
import { KumoApiError, type KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { clientFor, removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

let a: KumodProcess;
let b: KumodProcess;
let dbUrl: string;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  // The per-operation limit stays at its default (100/min); the account-wide one is lowered so the
  // test reaches it without thousands of calls.
  a = await startKumod({ DATABASE_URL: dbUrl, KUMO_RATE_LIMIT_PER_MINUTE: '250' });
  b = await startKumod(
    { DATABASE_URL: dbUrl, KUMO_RATE_LIMIT_PER_MINUTE: '250' },
    { adminCredentials: a.credentials },
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  for (const k of [a, b]) if (k) removeDataDir(k.dataDir);
  await dropTestDatabase(dbUrl);
});

async function rejection(p: Promise<unknown>): Promise<KumoApiError | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => e as KumoApiError,
  );
}

test('the 101st call of one operation in a minute gets 429 across both processes; other operations pass until the account budget is spent', async () => {
  const keys = await a.admin().adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'limited' },
  });
  // Both daemons share one admin account: the second found the first one's admin and made none.
  expect(b.output()).not.toContain('Kumo admin credentials');
  const viaA: KumoClient = clientFor(a.endpoint, keys);
  const viaB: KumoClient = clientFor(b.endpoint, keys);

  for (let i = 0; i < 100; i++) await (i % 2 ? viaA : viaB).describeKeypairs();
  const limited = await rejection(viaA.describeKeypairs());
  expect(limited).toBeInstanceOf(KumoApiError);
  expect([limited!.httpStatus, limited!.status]).toEqual([429, 'RATE_LIMIT']);
  expect(limited!.message).toMatch(/describeKeypairs/);
  expect(await rejection(viaB.describeKeypairs())).toMatchObject({ status: 'RATE_LIMIT' });

  // 102 calls charged so far; other operations still pass until the 250 of the account are used.
  for (let i = 0; i < 100; i++) await (i % 2 ? viaA : viaB).describeQuotas();
  for (let i = 0; i < 48; i++) await (i % 2 ? viaA : viaB).describeInstanceTypes();
  const overall = await rejection(viaB.describeInstanceTypes());
  expect([overall?.httpStatus, overall?.status]).toEqual([429, 'RATE_LIMIT']);
  expect(overall!.message).toMatch(/all operations/);

  // Another account has its own budget.
  const other = await a.admin().adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'unlimited' },
  });
  await expect(clientFor(b.endpoint, other).describeKeypairs()).resolves.toMatchObject({ totalCount: 0 });
}, 60_000);
