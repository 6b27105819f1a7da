// describeInstances' reads against a real PostgreSQL: the deferred-join page walks the list in the
// same order as a plain ORDER BY, filters match what a scan would, and totalCount stays exact, for
// unfiltered lists read from the maintained per-account count (migration 0013) through single
// and bulk inserts and deletes, across accounts and regions.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  AccountsModel,
  InstancesModel,
  migrateLatest,
  newId,
  openDatabase,
  SubnetsModel,
  Transactions,
  type Database,
  type InstanceFilter,
  type InstanceRecord,
  type NewInstance,
  type SubnetRecord,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

let url: string;
let db: Database;
let subnet: SubnetRecord;
let instances: InstancesModel;
let a: string;
let b: string;
const R = 'cn-north-1';
const scopeOf = (accountId: string, regionId = R) => ({ accountId, regionId });

beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url });
  await migrateLatest(db);
  const accounts = new AccountsModel(db);
  a = (await accounts.create('list-a', false)).account.id;
  b = (await accounts.create('list-b', false)).account.id;
  subnet = await new SubnetsModel(db).ensureDefault(R, 'cn-north-1a', '10.240');
  instances = new InstancesModel(db);
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

let serial = 0;
/** Inserts an instance of `accountId` through the model, as createInstances does. */
async function add(accountId: string, over: Partial<NewInstance> = {}): Promise<InstanceRecord> {
  const n = serial++;
  const id = newId('i');
  const row: NewInstance = {
    id,
    accountId,
    regionId: R,
    az: n % 3 === 0 ? 'cn-north-1b' : 'cn-north-1a',
    name: `web-${n}`,
    description: '',
    hostname: `h${n}`,
    instanceType: 't',
    vcpus: 1,
    memoryMB: 512,
    nestedVirt: false,
    imageId: 'img-x',
    hostId: null,
    status: n % 2 === 0 ? 'running' : 'stopped',
    task: null,
    taskArgs: null,
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    networkInterfaceId: `port-${n}`,
    privateIp: `10.240.${Math.floor(n / 200)}.${10 + (n % 200)}`,
    mac: `52:54:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`,
    keyNames: [],
    passwordHash: 'secret-hash',
    userdata: 'secret-userdata',
    systemDiskCategory: 'local',
    systemDiskGB: 1,
    ...over,
  };
  return new Transactions(db).run(async (trx) => {
    const inserted = await instances.insert(trx, row, subnet);
    if (typeof inserted === 'string') throw new Error(inserted);
    return inserted;
  });
}

/** Every id matching `where` for account `accountId`, in list order, by a plain scan. */
async function scan(accountId: string, where: (q: ReturnType<Database>) => void = () => {}) {
  const q = db('instances').where({ account_id: accountId, region_id: R });
  where(q);
  return (await q.orderBy([{ column: 'created_at' }, { column: 'id' }]).pluck('id')) as string[];
}

/** Every page of `f` at `size`, concatenated, with the totals each page reported. */
async function walk(accountId: string, f: InstanceFilter, size: number) {
  const ids: string[] = [];
  const totals = new Set<number>();
  for (let offset = 0; ; offset += size) {
    const page = await instances.page(scopeOf(accountId), f, offset, size);
    totals.add(page.total);
    ids.push(...page.items.map((i) => i.id));
    if (page.items.length < size) break;
  }
  return { ids, totals: [...totals] };
}

describe('InstancesModel.page', () => {
  beforeAll(async () => {
    for (let i = 0; i < 45; i++) await add(a);
    // Names and addresses with LIKE's wildcards in them, which must match only literally.
    await add(a, { name: 'odd_name%1', privateIp: '10.240.9.99' });
    for (let i = 0; i < 4; i++) await add(b);
  });

  test('pages walk every instance once, in created order, with the account’s exact total', async () => {
    const all = await scan(a);
    expect(all).toHaveLength(46);
    for (const size of [1, 7, 46, 100]) {
      expect(await walk(a, {}, size)).toEqual({ ids: all, totals: [46] });
    }
    expect((await walk(b, {}, 3)).totals).toEqual([4]);
    expect(await instances.page(scopeOf(a, 'cn-south-1'), {}, 0, 10)).toEqual({ items: [], total: 0 });
  });

  test('a page past the end is empty but still carries the total, filtered or not', async () => {
    expect(await instances.page(scopeOf(a), {}, 500, 10)).toEqual({ items: [], total: 46 });
    expect(await instances.page(scopeOf(a), { status: ['running'] }, 500, 10)).toEqual({
      items: [],
      total: (
        await scan(a, (q) => {
          q.where({ status: 'running' });
        })
      ).length,
    });
  });

  test('filters match what a scan finds, with exact totals, and wildcards match literally', async () => {
    const cases: [InstanceFilter, (q: ReturnType<Database>) => void][] = [
      [{ status: ['stopped'] }, (q) => q.where({ status: 'stopped' })],
      [
        { az: ['cn-north-1b'], status: ['running'] },
        (q) => q.where({ az: 'cn-north-1b', status: 'running' }),
      ],
      [{ name: 'WEB-1' }, (q) => q.whereILike('name', '%web-1%')],
      [{ name: '_name%' }, (q) => q.where({ name: 'odd_name%1' })],
      [
        { privateIpAddress: ['10.240.0.2', '9.99'] },
        (q) => q.whereLike('private_ip', '%10.240.0.2%').orWhereLike('private_ip', '%9.99%'),
      ],
      [{ agId: ['ag-1'] }, (q) => q.whereRaw('false')],
    ];
    for (const [f, where] of cases) {
      const expected = await scan(a, (q) => {
        q.andWhere(where);
      });
      expect(expected.length).toBeLessThan(46);
      expect({ f, ...(await walk(a, f, 4)) }).toEqual({ f, ids: expected, totals: [expected.length] });
    }
    const some = (await scan(a)).slice(3, 8);
    expect((await instances.page(scopeOf(a), { instanceId: [...some, 'i-nope'] }, 0, 20)).total).toBe(5);
    // Another account's instance is never found by its id.
    const [other] = await scan(b);
    expect(await instances.page(scopeOf(a), { instanceId: [other!] }, 0, 20)).toEqual({
      items: [],
      total: 0,
    });
  });

  test('listed instances carry what the views show and not the secrets', async () => {
    const { items } = await instances.page(scopeOf(a), { name: 'odd_name%1' }, 0, 1);
    expect(items[0]).toMatchObject({
      name: 'odd_name%1',
      privateIp: '10.240.9.99',
      status: expect.any(String),
    });
    expect(items[0]).not.toHaveProperty('userdata');
    expect(items[0]).not.toHaveProperty('passwordHash');
  });
});

describe('the maintained count (migration 0013)', () => {
  test('follows single and bulk inserts and deletes, per account and region, and is the quota count', async () => {
    const c = (await new AccountsModel(db).create('list-c', false)).account.id;
    const total = async () => (await instances.page(scopeOf(c), {}, 0, 1)).total;
    expect(await total()).toBe(0);
    const first = await add(c);
    await add(c, { regionId: 'cn-south-1' });
    expect([await total(), await instances.count(scopeOf(c, 'cn-south-1'))]).toEqual([1, 1]);
    // A bulk copy in one statement (one trigger run for both rows), as an import might do.
    const rows = (await db('instances').where({ account_id: c })) as Record<string, unknown>[];
    await db('instances').insert(
      rows.map((r, k) => ({
        ...r,
        id: newId('i'),
        mac: `52:54:00:ff:00:${k.toString(16).padStart(2, '0')}`,
        private_ip: `10.240.200.${k + 10}`,
      })),
    );
    expect([await total(), await instances.count(scopeOf(c))]).toEqual([2, 2]);
    expect(await instances.count(scopeOf(c, 'cn-south-1'))).toBe(2);
    await db('instances').where({ id: first.id }).delete();
    expect(await total()).toBe(1);
    // One statement deleting across accounts and regions moves each count by its own rows.
    const before = await instances.count(scopeOf(a));
    await db('instances')
      .whereIn('id', [...(await scan(c)), (await scan(a))[0]!])
      .delete();
    expect([await total(), await instances.count(scopeOf(a))]).toEqual([0, before - 1]);
    expect(await instances.count(scopeOf(c, 'cn-south-1'))).toBe(2);
    // The counts equal a count of the rows, for every account and region.
    const drift = await db.raw<{ rows: unknown[] }>(
      `SELECT * FROM (SELECT account_id, region_id, count(*) AS n FROM instances GROUP BY 1, 2) t
         FULL JOIN (SELECT account_id, region_id, sum(n) AS n FROM resource_counts
                     WHERE resource = 'instances' GROUP BY 1, 2) c USING (account_id, region_id)
        WHERE coalesce(t.n, 0) <> coalesce(c.n, 0)`,
    );
    expect(drift.rows).toEqual([]);
  });
});
