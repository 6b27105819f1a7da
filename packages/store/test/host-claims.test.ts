// HostsModel.claimRanked against a real PostgreSQL: concurrent placements spread over the
// best-ranked hosts instead of queueing on one, never oversubscribe a host, are refused only when
// no ranked host has room, and wait for (rather than skip) a host whose fate is still open.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  AccountsModel,
  HostsModel,
  InstancesModel,
  migrateLatest,
  openDatabase,
  SubnetsModel,
  type Database,
  type NewInstance,
  type SubnetRecord,
  type Transaction,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

let url: string;
let db: Database;
let hosts: HostsModel;
let instances: InstancesModel;
let accountId: string;
let subnet: SubnetRecord;
let serial = 0;
const slot = { vcpus: 1, memoryMB: 1024, diskGB: 1 };

beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url, poolMax: 40 });
  await migrateLatest(db);
  hosts = new HostsModel(db);
  instances = new InstancesModel(db);
  accountId = (await new AccountsModel(db).create('claims', false)).account.id;
  subnet = await new SubnetsModel(db).ensureDefault('r-1', 'r-1a', '10.241');
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

/** `n` healthy hosts in their own AZ with room for `slots` slots each; their ids, best first. */
async function fleet(n: number, slots: number): Promise<string[]> {
  const az = `az-${serial++}`;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = await hosts.create({
      name: `${az}-h${i}`,
      uri: 'qemu:///system',
      regionId: 'r-1',
      az,
      poolPath: '/p',
      accelerator: 'kvm',
      cpuRatio: 1,
      memoryRatio: 1,
      diskRatio: 1,
    });
    await hosts.recordHealth(h.id, {
      health: 'up',
      capacity: { vcpus: 64, memoryMB: 1024 * slots, diskGB: 1000, nestedVirt: false },
    });
    ids.push(h.id);
  }
  return ids;
}

/** Called with each claimed host as soon as the claim returns (before the instance row). */
let claimedNow: ((hostId: string) => void) | undefined;

/**
 * One placement in `trx`: a claim on one of `ranked` and, when it got one, the instance row the
 * claim belongs to (claims reference instances; the check is deferred to the commit).
 */
async function place(
  trx: Transaction,
  ranked: string[],
  holdRow?: Promise<void>,
): Promise<string | undefined> {
  const n = serial++;
  const id = `i-claim${n}`;
  const hostId = await hosts.claimRanked(trx, id, ranked, slot);
  if (!hostId) return undefined;
  claimedNow?.(hostId);
  // The instance row may wait for another transaction's count update (resource_counts): a test
  // that holds several transactions open inserts it only once all have claimed.
  await holdRow;
  const row: NewInstance = {
    id,
    accountId,
    regionId: 'r-1',
    az: 'r-1a',
    name: id,
    description: '',
    hostname: id,
    instanceType: 't',
    vcpus: 1,
    memoryMB: 1024,
    nestedVirt: false,
    imageId: 'img-x',
    hostId,
    status: 'pending',
    task: null,
    taskArgs: null,
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    networkInterfaceId: `port-${n}`,
    // An address of its own, so no placement waits for the subnet's allocation lock.
    privateIp: `10.241.${n >> 8}.${n & 255}`,
    mac: `52:54:00:01:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`,
    keyNames: [],
    passwordHash: null,
    userdata: null,
    systemDiskCategory: 'local',
    systemDiskGB: 1,
  };
  await instances.insert(trx, row, 'address-of-interface');
  return hostId;
}

/** Hosts whose claims exceed their memory, and hosts whose used memory is not Σ claims. */
async function audit(ids: string[]) {
  const r = await db.raw<{ rows: { id: string; used: number; claimed: number; cap: number }[] }>(
    `SELECT h.id, h.used_memory_mb AS used, floor(h.total_memory_mb * h.memory_ratio)::int AS cap,
            coalesce(sum(c.memory_mb), 0)::int AS claimed
       FROM hosts h LEFT JOIN claims c ON c.host_id = h.id WHERE h.id = ANY(?) GROUP BY h.id`,
    [ids],
  );
  return {
    over: r.rows.filter((x) => x.claimed > x.cap).length,
    drift: r.rows.filter((x) => x.used !== x.claimed).length,
    used: r.rows.reduce((s, x) => s + x.used, 0) / 1024,
  };
}

describe('claimRanked', () => {
  test('8 placements in flight at once take the 8 best hosts, one each, none waiting for another', async () => {
    const ids = await fleet(12, 4);
    const got: string[] = [];
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    claimedNow = (hostId) => {
      got.push(hostId);
      if (got.length === 8) release();
    };
    // Every transaction keeps its host row locked until all eight have claimed.
    await Promise.all(Array.from({ length: 8 }, () => db.transaction((trx) => place(trx, ids, done))));
    claimedNow = undefined;
    expect(got).toHaveLength(8);
    expect([...got].sort()).toEqual(ids.slice(0, 8).sort());
  });

  test('64 concurrent placements fill 10 hosts of 4 slots exactly: 40 placed, 24 refused, none over', async () => {
    const ids = await fleet(10, 4);
    const results = await Promise.all(
      Array.from({ length: 64 }, () => db.transaction((trx) => place(trx, ids))),
    );
    expect(results.filter(Boolean)).toHaveLength(40);
    expect(await audit(ids)).toEqual({ over: 0, drift: 0, used: 40 });
  });

  test('passes over hosts that are full, drained or down, whatever their rank', async () => {
    const [full, drained, down, ok] = await fleet(4, 1);
    await db.transaction((trx) => place(trx, [full!]));
    await hosts.setEnabled(drained!, false);
    await hosts.recordHealth(down!, { health: 'down', reason: 'test' });
    expect(await db.transaction((trx) => place(trx, [full!, drained!, down!, ok!]))).toBe(ok);
    expect(await db.transaction((trx) => place(trx, [full!, drained!, down!, ok!]))).toBeUndefined();
  });

  test('waits for a host another placement holds: it gets the slot back if that one rolls back', async () => {
    const [only] = await fleet(1, 1);
    let holdOn!: () => void;
    const held = new Promise<void>((r) => (holdOn = r));
    let claimed!: () => void;
    const first = new Promise<void>((r) => (claimed = r));
    const a = db
      .transaction(async (trx) => {
        expect(await place(trx, [only!])).toBe(only);
        claimed();
        await held;
        throw new Error('rolled back');
      })
      .catch(() => 'rolled back');
    await first;
    const b = db.transaction((trx) => place(trx, [only!]));
    // b is waiting for a's lock, not refused: it resolves only after a ends.
    const early = await Promise.race([b, new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(early).toBe('waiting');
    holdOn();
    expect(await a).toBe('rolled back');
    expect(await b).toBe(only);
    expect(await audit([only!])).toEqual({ over: 0, drift: 0, used: 1 });
  });
});
