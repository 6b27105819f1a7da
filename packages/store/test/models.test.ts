// Models against a real PostgreSQL: accounts and keys, keypairs scoping and quota, request guards.
import {
  AccountsModel,
  KeypairsModel,
  RequestGuardsModel,
  UniqueViolation,
  migrateLatest,
  openDatabase,
  type Database,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

let url: string;
let db: Database;
beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url });
  await migrateLatest(db);
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

describe('AccountsModel', () => {
  test('creates an account with a key that can be looked up, and refuses a duplicate name', async () => {
    const accounts = new AccountsModel(db);
    const k = await accounts.create('alice', false);
    expect(k.accessKey).toMatch(/^AK[A-Z0-9]{30}$/);
    expect(k.secretKey).toMatch(/^[a-z0-9]{40}$/);
    const found = await accounts.findAccessKey(k.accessKey);
    expect(found?.account).toEqual(k.account);
    expect(found?.secretKey).toBe(k.secretKey);
    expect(await accounts.findAccessKey('AKNOPE')).toBeUndefined();
    await expect(accounts.create('alice', false)).rejects.toBeInstanceOf(UniqueViolation);
  });
});

describe('KeypairsModel', () => {
  test('scopes by account and region, pages, enforces name uniqueness and quota', async () => {
    const accounts = new AccountsModel(db);
    const a = (await accounts.create('kp-a', false)).account;
    const b = (await accounts.create('kp-b', false)).account;
    const keypairs = new KeypairsModel(db);
    const sa = { accountId: a.id, regionId: 'r-1' };
    for (let i = 0; i < 3; i++) {
      const r = await keypairs.insertWithinQuota(
        sa,
        { keyName: `k${i}`, publicKey: 'ssh-ed25519 AAAA', fingerprint: 'f' },
        3,
      );
      expect(r).not.toBe('quota');
    }
    expect(await keypairs.insertWithinQuota(sa, { keyName: 'k9', publicKey: 'x', fingerprint: 'f' }, 3)).toBe(
      'quota',
    );
    await expect(
      keypairs.insertWithinQuota(sa, { keyName: 'k0', publicKey: 'x', fingerprint: 'f' }, 10),
    ).rejects.toBeInstanceOf(UniqueViolation);
    const page = await keypairs.page(sa, { offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 3, items: [{ keyName: 'k1' }] });
    expect(await keypairs.page({ accountId: b.id, regionId: 'r-1' }, { offset: 0, limit: 10 })).toEqual({
      items: [],
      total: 0,
    });
    expect(await keypairs.page({ accountId: a.id, regionId: 'r-2' }, { offset: 0, limit: 10 })).toMatchObject(
      {
        total: 0,
      },
    );
    expect(await keypairs.delete({ accountId: b.id, regionId: 'r-1' }, 'k0')).toBe(false);
    expect(await keypairs.delete(sa, 'k0')).toBe(true);
    expect(await keypairs.count(sa)).toBe(2);
  });

  test('concurrent creates never pass the quota', async () => {
    const a = (await new AccountsModel(db).create('kp-race', false)).account;
    const keypairs = new KeypairsModel(db);
    const s = { accountId: a.id, regionId: 'r-1' };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        keypairs.insertWithinQuota(s, { keyName: `race${i}`, publicKey: 'x', fingerprint: 'f' }, 5),
      ),
    );
    expect(results.filter((r) => r !== 'quota')).toHaveLength(5);
    expect(await keypairs.count(s)).toBe(5);
  });
});

describe('RequestGuardsModel', () => {
  test('detects a replayed nonce and counts buckets against their limits', async () => {
    const guards = new RequestGuardsModel(db);
    const admit = (nonce: string) =>
      guards.admit({
        accessKey: 'AK1',
        nonce,
        nonceTtlSeconds: 600,
        windowSeconds: 60,
        buckets: [
          { key: 'AK1:all', limit: 100 },
          { key: 'AK1:op', limit: 3 },
        ],
      });
    expect(await admit('n1')).toEqual({ replayed: false, forbidden: false, exceededBucket: undefined });
    expect((await admit('n1')).replayed).toBe(true);
    expect((await admit('n2')).exceededBucket).toBeUndefined();
    expect((await admit('n3')).exceededBucket).toBe('AK1:op');
    await guards.sweep(60);
    expect((await admit('n1')).replayed).toBe(true);
  });

  test('a window restarts after it expires', async () => {
    const guards = new RequestGuardsModel(db);
    const admit = (nonce: string) =>
      guards.admit({
        accessKey: 'AK2',
        nonce,
        nonceTtlSeconds: 600,
        windowSeconds: 1,
        buckets: [{ key: 'AK2', limit: 1 }],
      });
    expect((await admit('a')).exceededBucket).toBeUndefined();
    expect((await admit('b')).exceededBucket).toBe('AK2');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await admit('c')).exceededBucket).toBeUndefined();
  });
});
