// Leased rate budget and batched nonces against a real PostgreSQL: leases never hand out more than
// the window's limit however many ask at once, shrink near the limit, and give unused budget back;
// a settle for an ended window changes nothing; a nonce batch tells new nonces from replays.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { migrateLatest, openDatabase, RateLeasesModel, RequestGuardsModel, type Database } from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

let url: string;
let db: Database;
let leases: RateLeasesModel;
beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url, poolMax: 20 });
  await migrateLatest(db);
  leases = new RateLeasesModel(db);
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

describe('RateLeasesModel', () => {
  test('grants a quarter of what is left, down to single requests, and never past the limit', async () => {
    const grants: number[] = [];
    for (;;) {
      const l = await leases.lease('t:quarter', 64, 100, 60);
      if (l.granted === 0) break;
      grants.push(l.granted);
    }
    expect(grants.slice(0, 3)).toEqual([25, 19, 14]);
    expect(grants.slice(-3)).toEqual([1, 1, 1]);
    expect(grants.reduce((s, g) => s + g, 0)).toBe(100);
  });

  test('40 concurrent lease requests share exactly the limit; settling gives the unused back', async () => {
    const all = await Promise.all(Array.from({ length: 40 }, () => leases.lease('t:race', 64, 50, 60)));
    const granted = all.reduce((s, l) => s + l.granted, 0);
    expect(granted).toBeLessThanOrEqual(50);
    const more = await leases.lease('t:race', 64, 50, 60);
    expect(granted + more.granted).toBeLessThanOrEqual(50);
    // Every lease settles with 2 unused: that budget can be leased again, and nothing is outstanding.
    const held = [...all, more].filter((l) => l.granted >= 2);
    for (const l of held) await leases.settle('t:race', l.windowUs, l.granted, 2);
    for (const l of [...all, more].filter((x) => x.granted === 1))
      await leases.settle('t:race', l.windowUs, 1, 0);
    const again = await leases.lease('t:race', 64, 50, 60);
    expect(again.granted).toBe(Math.ceil((2 * held.length + 50 - granted - more.granted) / 4));
    expect(again.outstanding).toBe(again.granted);
  });

  test('a new window starts from zero and a settle of the old one changes nothing', async () => {
    const old = await leases.lease('t:window', 64, 100, 60);
    await db('rate_counters')
      .where({ bucket: 't:window' })
      .update({ window_start: db.raw("now() - interval '2 minutes'") });
    const fresh = await leases.lease('t:window', 64, 100, 60);
    expect([fresh.granted, fresh.outstanding]).toEqual([25, 25]);
    expect(fresh.windowLeftMs).toBeGreaterThan(55_000);
    await leases.settle('t:window', old.windowUs, old.granted, old.granted);
    const row = await db('rate_counters').where({ bucket: 't:window' }).first('count', 'outstanding');
    expect(row).toEqual({ count: 25, outstanding: 25 });
  });
});

describe('RequestGuardsModel.recordNonces', () => {
  test('one statement for a batch: new nonces, repeats inside the batch and earlier ones told apart', async () => {
    const guards = new RequestGuardsModel(db);
    const e = (accessKey: string, nonce: string) => ({ accessKey, nonce, ttlSeconds: 600 });
    expect(
      await guards.recordNonces([e('AK1', 'n1'), e('AK1', 'n2'), e('AK2', 'n1'), e('AK1', 'n1')]),
    ).toEqual(new Set([0, 1, 2]));
    expect(await guards.recordNonces([e('AK1', 'n2'), e('AK1', 'n3')])).toEqual(new Set([1]));
    expect(await guards.anySeen('AK1', ['n9', 'n3'])).toBe(true);
    expect(await guards.anySeen('AK2', ['n2'])).toBe(false);
  });
});
