// The audit trail: every authenticated call that could change something is recorded — accepted or
// refused, with key, source, resources and outcome — reads are not; an account sees only its own
// trail, the admin sees everyone's; unauthenticated calls never reach it.
import type { KumoClient } from '@kumo/client';
import { KumoApiError } from '@kumo/client';
import pg from 'pg';
import { newAccount, startKumod, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { sendRaw } from '../support/raw-request.js';

let kumod: TestKumod;
let alice: KumoClient;
let bob: KumoClient;

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase();
  alice = await newAccount(kumod, 'audit-alice');
  bob = await newAccount(kumod, 'audit-bob');
});
afterAll(async () => {
  await kumod?.cleanup();
});

interface Entry {
  time: string;
  accountId: string;
  accessKey: string;
  requestId: string;
  operation: string;
  method: string;
  path: string;
  resources: Record<string, string>;
  sourceIp: string;
  httpStatus: number;
  errorStatus?: string;
}
interface Page {
  entries: Entry[];
  totalCount: number;
}

/** The trail is written just after the response: wait until it holds `n` entries. */
async function trail(c: KumoClient, n: number, path = '/v1/auditLog'): Promise<Page> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const p = await c.request<Page>('GET', path, { query: { pageSize: 100 } });
    if (p.totalCount >= n || Date.now() > deadline) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('accepted and refused changes are recorded with who, from where and about what; reads are not', async () => {
  await alice.createKeypair('audited');
  const refused = await alice.deleteKeypair('no-such-key').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(KumoApiError);
  await alice.describeKeypairs();
  await sendRaw(
    kumod.endpoint,
    'POST',
    '/v1/regions/local-1/keypairs',
    { 'content-type': 'application/json' },
    '{}',
  ); // unsigned

  const { entries, totalCount } = await trail(alice, 2);
  expect(totalCount).toBe(2);
  const [del, create] = entries;
  expect(create).toMatchObject({
    operation: 'createKeypair',
    method: 'POST',
    path: '/v1/regions/local-1/keypairs',
    resources: { regionId: 'local-1' },
    sourceIp: expect.stringMatching(/127\.0\.0\.1$/),
    httpStatus: 200,
  });
  expect(create!.errorStatus).toBeUndefined();
  expect(del).toMatchObject({
    operation: 'deleteKeypair',
    method: 'DELETE',
    resources: { regionId: 'local-1', keyName: 'no-such-key' },
    httpStatus: 404,
    errorStatus: 'NOT_FOUND',
  });
  expect(del!.accessKey).toBe(create!.accessKey);
  expect(del!.accountId).toBe(create!.accountId);
});

test('an account sees only its own trail; the admin sees every account and filters by it', async () => {
  await bob.createKeypair('bobs');
  const mine = await trail(bob, 1);
  expect(mine.entries.map((e) => e.operation)).toEqual(['createKeypair']);
  const aliceId = (await trail(alice, 2)).entries[0]!.accountId;
  expect(mine.entries.every((e) => e.accountId !== aliceId)).toBe(true);

  // Only the admin may name an account.
  const denied = await bob
    .request('GET', '/v1/auditLog', { query: { filters: [{ name: 'accountId', values: [aliceId] }] } })
    .catch((e: unknown) => e);
  expect((denied as KumoApiError).httpStatus).toBe(400);

  const all = await trail(kumod.admin(), 3, '/admin/v1/auditLog');
  expect(all.totalCount).toBeGreaterThanOrEqual(3);
  const onlyAlice = await kumod.admin().request<Page>('GET', '/admin/v1/auditLog', {
    query: {
      filters: [
        { name: 'accountId', values: [aliceId] },
        { name: 'operation', values: ['createKeypair'] },
      ],
    },
  });
  expect(onlyAlice.entries.map((e) => [e.accountId, e.operation])).toEqual([[aliceId, 'createKeypair']]);
});

test('entries older than the retention are pruned by a kumod on the database; newer ones stay', async () => {
  await bob.createKeypair('bobs-new');
  const before = await trail(bob, 2);
  // The oldest entry (the trail lists newest first).
  const oldId = before.entries[before.entries.length - 1]!.requestId;
  // Age one entry past a 30-day retention, as time would.
  const db = new pg.Client({ connectionString: kumod.dbUrl });
  await db.connect();
  try {
    await db.query(`UPDATE audit_log SET at = now() - interval '31 days' WHERE request_id = $1`, [oldId]);
    const pruner = await startKumod(
      { DATABASE_URL: kumod.dbUrl, KUMO_AUDIT_RETENTION_DAYS: '30', KUMO_AUDIT_PRUNE_INTERVAL_MS: '200' },
      { adminCredentials: kumod.credentials },
    );
    try {
      const deadline = Date.now() + 10_000;
      let left = 1;
      while (left > 0 && Date.now() < deadline) {
        left = Number(
          (await db.query('SELECT count(*) AS n FROM audit_log WHERE request_id = $1', [oldId])).rows[0].n,
        );
        if (left > 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).toBe(0);
    } finally {
      await pruner.stop();
    }
  } finally {
    await db.end();
  }
  const after = await trail(bob, 1);
  expect(after.entries.map((e) => e.requestId).sort()).toEqual(
    before.entries
      .map((e) => e.requestId)
      .filter((r) => r !== oldId)
      .sort(),
  );
});
