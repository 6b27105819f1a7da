// Tencent's CBS API through Tencent's official CBS SDK client, on an AZ whose disks live on the
// test environment's real Ceph (rbd): CreateDisks (idempotent by ClientToken, several at once),
// CreateSnapshot, a larger disk from the snapshot, ResizeDisk, the refusals Tencent's callers meet
// (shrinking, a snapshot with dependents), DeleteSnapshots and TerminateDisks — after each step
// what `rbd` shows in the pool agrees with what CBS says, and JD's disk API sees the same disks.
import { cephPool, haveCeph, rbd } from '../../packages/storage/test/support.js';
import { addRbdBackend } from '../support/storage.js';
import { codeOf, type Keys } from '../support/cvm-sdk.js';
import { clientFor, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { cbsClient } from '../support/tencent-sdk.js';
import { createAccount } from '../support/vpc-sdk.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GiB = 1 << 30;
const AZ = 'local-1a';
const run = haveCeph() ? describe : describe.skip;
/** Waits for the next second, so a write may repeat an earlier body (see tencent-vpc.test.ts). */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));

run('CBS through the Tencent SDK on rbd', () => {
  let env: TestKumod;
  let keys: Keys;
  let tc: ReturnType<typeof cbsClient>;
  let pool: ReturnType<typeof cephPool>;

  beforeAll(async () => {
    pool = cephPool(`kstor-cbs-${process.pid}`);
    env = await startKumodOnTestDatabase({ KUMO_STORAGE_INTERVAL_MS: '200' });
    await addRbdBackend(env.admin(), AZ, pool);
    keys = await createAccount(env, 'cbs-rbd-user');
    tc = cbsClient(env.endpoint, keys);
  }, 120_000);

  afterAll(async () => {
    await env?.cleanup();
    pool?.drop();
  });

  const images = () => rbd('ls', pool.pool).trim().split('\n').filter(Boolean).sort();
  const sizeOf = (kumoId: string) =>
    (JSON.parse(rbd('info', `${pool.pool}/${kumoId}`, '--format', 'json')) as Any).size;
  // CBS ids are Kumo's with Tencent's prefix (disk-… for vol-…, snap-… for snapshot-…).
  const kumoDisk = (id: string) => `vol-${id.slice('disk-'.length)}`;

  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 150; i++) {
      const v = await read();
      if (done(v)) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what} never settled`);
  }
  const disk = (id: string) =>
    until(
      async () => (await tc.DescribeDisks({ DiskIds: [id] })).DiskSet?.[0] as Any,
      (d) => !['CREATING', 'EXPANDING'].includes(d?.DiskState),
      id,
    );

  test('disks and snapshots through their lifecycle, rbd and JD agreeing', async () => {
    const create = {
      Placement: { Zone: AZ },
      DiskChargeType: 'POSTPAID_BY_HOUR',
      DiskType: 'CLOUD_SSD',
      DiskSize: 20,
    };
    const { DiskIdSet } = await tc.CreateDisks({
      ...create,
      DiskName: 'data',
      DiskCount: 2,
      ClientToken: 'cbs-tok-1',
    });
    expect(DiskIdSet).toHaveLength(2);
    const [a, b] = DiskIdSet as [string, string];
    expect(a).toMatch(/^disk-[a-z0-9]{10}$/);
    // The same token again (a second later: the same body in the same second is a replay): the
    // same disks, no more.
    await nextSecond();
    expect(
      (await tc.CreateDisks({ ...create, DiskName: 'data', DiskCount: 2, ClientToken: 'cbs-tok-1' }))
        .DiskIdSet,
    ).toEqual(DiskIdSet);
    expect(await disk(a)).toMatchObject({
      DiskId: a,
      DiskState: 'UNATTACHED',
      DiskType: 'CLOUD_SSD',
      DiskSize: 20,
      DiskChargeType: 'POSTPAID_BY_HOUR',
      Placement: { Zone: AZ },
      Attached: false,
    });
    await disk(b);
    expect(images()).toEqual([kumoDisk(a), kumoDisk(b)].sort());
    expect(sizeOf(kumoDisk(a))).toBe(20 * GiB);
    // JD's API shows the same disks under its ids.
    const jd = clientFor(env.endpoint, keys);
    const listed = await jd.request<{ disks: { diskId: string; diskSizeGB: number }[] }>(
      'GET',
      '/v1/regions/local-1/disks',
    );
    expect(listed.disks.map((d) => d.diskId).sort()).toEqual([kumoDisk(a), kumoDisk(b)].sort());

    const { SnapshotId } = await tc.CreateSnapshot({ DiskId: a, SnapshotName: 'snap-1' });
    expect(SnapshotId).toMatch(/^snap-[a-z0-9]+$/);
    const snap = await until(
      async () => (await tc.DescribeSnapshots({ SnapshotIds: [SnapshotId!] })).SnapshotSet?.[0] as Any,
      (s) => s?.SnapshotState === 'NORMAL',
      SnapshotId!,
    );
    expect(snap).toMatchObject({ DiskId: a, DiskSize: 20, Percent: 100 });
    expect(rbd('snap', 'ls', `${pool.pool}/${kumoDisk(a)}`).trim()).not.toBe('');

    // A larger disk from the snapshot: an rbd clone of it, grown.
    const fromSnap = (await tc.CreateDisks({ ...create, DiskSize: 30, SnapshotId, ClientToken: 'cbs-tok-2' }))
      .DiskIdSet![0]!;
    expect(await disk(fromSnap)).toMatchObject({ DiskSize: 30, DiskState: 'UNATTACHED' });
    expect(sizeOf(kumoDisk(fromSnap))).toBe(30 * GiB);
    expect(rbd('info', `${pool.pool}/${kumoDisk(fromSnap)}`)).toContain(
      `parent: ${pool.pool}/${kumoDisk(a)}@`,
    );

    // Refusals in Tencent's codes, nothing changed: shrinking; a snapshot a disk was made from.
    // (A write whose body a read just sent, in the same second, has that read's signature, which
    // kumod refuses as a replay: tc3.ts. Each such write below waits for the next second.)
    await nextSecond();
    expect(await codeOf(tc.ResizeDisk({ DiskId: a, DiskSize: 10 }))).toMatch(/^InvalidParameter/);
    expect(await codeOf(tc.DeleteSnapshots({ SnapshotIds: [SnapshotId!] }))).toMatch(
      /^(ResourceInUse|FailedOperation|OperationDenied)/,
    );
    expect(sizeOf(kumoDisk(a))).toBe(20 * GiB);

    await tc.ResizeDisk({ DiskId: a, DiskSize: 40 });
    expect((await disk(a)).DiskSize).toBe(40);
    expect(sizeOf(kumoDisk(a))).toBe(40 * GiB);

    // Terminate the clone, then the snapshot goes; then the rest. rbd ends empty.
    await nextSecond();
    await tc.TerminateDisks({ DiskIds: [fromSnap] });
    await until(
      async () => (await tc.DescribeDisks({ DiskIds: [fromSnap] })).TotalCount,
      (n) => n === 0,
      fromSnap,
    );
    await nextSecond();
    await tc.DeleteSnapshots({ SnapshotIds: [SnapshotId!] });
    await until(
      async () => (await tc.DescribeSnapshots({ SnapshotIds: [SnapshotId!] })).TotalCount,
      (n) => n === 0,
      SnapshotId!,
    );
    expect(rbd('snap', 'ls', `${pool.pool}/${kumoDisk(a)}`).trim()).toBe('');
    await tc.TerminateDisks({ DiskIds: [a, b] });
    await until(
      async () => (await tc.DescribeDisks({})).TotalCount,
      (n) => n === 0,
      'terminations',
    );
    await until(
      async () => images(),
      (l) => l.length === 0,
      'rbd images',
    );
  }, 180_000);
});
