// The usage ledger's meters on disks, snapshots, elastic IPs and private images, against a real
// PostgreSQL with the pool's clock injected: each row's metered state (GB by disk type, snapshot
// GB, EIP Mbps, image GB) opens and closes records at the second of the statement that changes it.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { AccountsModel, migrateLatest, openDatabase, UsageModel, type Database } from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
let clockMs = T0;
const at = (s: number) => {
  clockMs = T0 + s * 1000;
};
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

let url: string;
let db: Database;
let accountId: string;
beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url, clock: () => new Date(clockMs) });
  await migrateLatest(db);
  accountId = (await new AccountsModel(db).create('meters', false)).account.id;
  await db('storage_backends').insert({
    id: 'sb-1',
    region_id: 'r-1',
    az: 'r-1a',
    kind: 'local',
    name: 'local',
    config: JSON.stringify({ path: '/x' }),
  });
  await db('external_networks').insert({
    id: 'xn-1',
    region_id: 'r-1',
    cidr: '198.18.0.0/24',
    gateway: '198.18.0.1',
    physical_network: 'ext',
  });
  await db('eip_pools').insert({
    id: 'pool-1',
    region_id: 'r-1',
    external_network_id: 'xn-1',
    cidr: '198.18.0.0/28',
  });
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

const ledger = async (id: string) =>
  (
    await new UsageModel(db).records({
      resourceId: id,
      from: new Date(T0 - 1000),
      to: new Date(T0 + 86_400_000),
    })
  ).map((r) => [r.item, r.quantity, r.startedAt.toISOString(), r.endedAt?.toISOString() ?? null]);

test('a disk bills its GB by type from available to delete, extends as a new record', async () => {
  at(0);
  const disk = {
    id: 'vol-1',
    account_id: accountId,
    region_id: 'r-1',
    az: 'r-1a',
    backend_id: 'sb-1',
    name: 'data',
    disk_type: 'ssd',
    size_gb: 20,
    status: 'creating',
  };
  await db('disks').insert(disk);
  at(10);
  await db('disks').where({ id: 'vol-1' }).update({ status: 'available' });
  at(70);
  await db('disks').where({ id: 'vol-1' }).update({ status: 'extending' });
  // A heartbeat-like write of an unmetered column changes nothing.
  await db('disks').where({ id: 'vol-1' }).update({ task_owner: 'w1' });
  at(75);
  await db('disks').where({ id: 'vol-1' }).update({ status: 'in-use', size_gb: 40 });
  at(200);
  await db('disks').where({ id: 'vol-1' }).update({ status: 'deleting' });
  at(205);
  await db('disks').where({ id: 'vol-1' }).delete();
  expect(await ledger('vol-1')).toEqual([
    ['disk:ssd', 20, iso(10), iso(75)],
    ['disk:ssd', 40, iso(75), iso(200)],
  ]);
});

test('a snapshot bills its GB while available; a failed one never bills', async () => {
  at(300);
  const snap = (id: string) => ({
    id,
    account_id: accountId,
    region_id: 'r-1',
    disk_id: 'vol-1',
    backend_id: 'sb-1',
    name: id,
    size_gb: 40,
    status: 'creating',
  });
  await db('snapshots').insert([snap('snap-ok'), snap('snap-bad')]);
  at(320);
  await db('snapshots').where({ id: 'snap-ok' }).update({ status: 'available' });
  await db('snapshots').where({ id: 'snap-bad' }).update({ status: 'error' });
  at(900);
  await db('snapshots').where({ id: 'snap-ok' }).delete();
  expect(await ledger('snap-ok')).toEqual([['snapshot', 40, iso(320), iso(900)]]);
  expect(await ledger('snap-bad')).toEqual([]);
});

test('an elastic IP bills its bandwidth until its tombstone; a new bandwidth is a new record', async () => {
  at(1000);
  await db('elastic_ips').insert({
    id: 'fip-1',
    account_id: accountId,
    region_id: 'r-1',
    pool_id: 'pool-1',
    ip: '198.18.0.5',
    provider: 'bgp',
    bandwidth_mbps: 5,
  });
  at(1100);
  await db('elastic_ips').where({ id: 'fip-1' }).update({ bandwidth_mbps: 10 });
  at(1300);
  await db('elastic_ips').where({ id: 'fip-1' }).update({ deleting: true });
  at(1400);
  await db('elastic_ips').where({ id: 'fip-1' }).delete();
  expect(await ledger('fip-1')).toEqual([
    ['eip:bandwidth', 5, iso(1000), iso(1100)],
    ['eip:bandwidth', 10, iso(1100), iso(1300)],
  ]);
});

test('a private image bills its GB while ready; a public one never bills', async () => {
  at(2000);
  const image = (id: string, owner: string | null) => ({
    id,
    region_id: 'r-1',
    owner_account_id: owner,
    name: id,
    image_source: owner ? 'private' : 'public',
    platform: 'Linux',
    os_version: '1',
    architecture: 'x86_64',
    status: 'pending',
    min_disk_gb: 1,
    size_bytes: 3 * 2 ** 29,
    files_dir: '/x',
    manifest: JSON.stringify({}),
  });
  await db('images').insert([image('img-priv', accountId), image('img-pub', null)]);
  at(2050);
  await db('images').whereIn('id', ['img-priv', 'img-pub']).update({ status: 'ready' });
  at(2650);
  await db('images').where({ id: 'img-priv' }).delete();
  expect(await ledger('img-priv')).toEqual([['image', 1.5, iso(2050), iso(2650)]]);
  expect(await ledger('img-pub')).toEqual([]);
  // 600 s of 1.5 GB, by the report's arithmetic.
  const lines = await new UsageModel(db).lines({
    accountId,
    resourceType: 'image',
    from: new Date(T0),
    to: new Date(T0 + 86_400_000),
  });
  expect(lines.map((l) => [l.resourceId, l.quantity, l.seconds])).toEqual([['img-priv', 1.5, 600]]);
});
