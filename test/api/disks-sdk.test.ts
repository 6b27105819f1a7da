// JD's own Node SDK (jdcloud-sdk-js, its DISK client) drives the disk service against a kumod
// whose AZ stores disks on the test environment's real Ceph (rbd): create (idempotent by
// clientToken), snapshot, a larger disk cloned from the snapshot, extend, restore, the refusals
// JD documents (sizes, shrinking, dependents), quotas, and deletes — and after each step what
// `rbd` shows in the pool agrees with what the API says.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cephMonitor, cephPool, haveCeph, rbd } from '../../packages/storage/test/support.js';
import { addRbdBackend } from '../support/storage.js';
import { kumoIn, ok } from '../support/cli.js';
import { startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { createAccount } from '../support/vpc-sdk.js';

const require = createRequire(import.meta.url);
const { DISK } = require('jdcloud-sdk-js') as { DISK: new (opts: object) => Sdk };

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Sdk = Record<string, (opts: object, regionId?: string) => Promise<Any>>;

const GiB = 1 << 30;
const AZ = 'local-1a';
const run = haveCeph() ? describe : describe.skip;

run('the disk service through the JD SDK on rbd', () => {
  let env: TestKumod;
  let disk: Sdk;
  let pool: ReturnType<typeof cephPool>;

  beforeAll(async () => {
    pool = cephPool(`kstor-api-${process.pid}`);
    env = await startKumodOnTestDatabase({ KUMO_STORAGE_INTERVAL_MS: '200', KUMO_QUOTA_DISK: '5' });
    await addRbdBackend(env.admin(), AZ, pool);
    const keys = await createAccount(env, 'disk-user');
    const url = new URL(env.endpoint);
    disk = new DISK({
      credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
      endpoint: { host: url.host, protocol: url.protocol.replace(':', '') },
      regionId: 'local-1',
      logger: () => undefined,
    });
  }, 120_000);

  afterAll(async () => {
    await env?.cleanup();
    pool?.drop();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: Any) => e,
    );

  /** Polls describeDisk until its status is `want` (failing fast on an error_ status). */
  async function diskIs(diskId: string, want: string): Promise<Any> {
    for (let i = 0; i < 150; i++) {
      const { result } = await disk.describeDisk!({ diskId });
      if (result.disk.status === want) return result.disk;
      if (String(result.disk.status).startsWith('error'))
        throw new Error(`disk ${diskId} is ${result.disk.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`disk ${diskId} never became ${want}`);
  }

  async function snapshotIs(snapshotId: string, want: string): Promise<Any> {
    for (let i = 0; i < 150; i++) {
      const { result } = await disk.describeSnapshot!({ snapshotId });
      if (result.snapshot.status === want) return result.snapshot;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`snapshot ${snapshotId} never became ${want}`);
  }

  const images = () => rbd('ls', pool.pool).trim().split('\n').filter(Boolean).sort();
  const sizeOf = (id: string) =>
    (JSON.parse(rbd('info', `${pool.pool}/${id}`, '--format', 'json')) as Any).size;

  test('refuses sizes outside the type range, unknown AZs and types, with nothing created', async () => {
    const spec = { az: AZ, name: 'bad', diskType: 'ssd', diskSizeGB: 25 };
    const step = await failure(disk.createDisks!({ diskSpec: spec, maxCount: 1, clientToken: 'bad-1' }));
    expect(step).toMatchObject({ error: { code: 400, status: 'OUT_OF_RANGE' } });
    const big = await failure(
      disk.createDisks!({ diskSpec: { ...spec, diskSizeGB: 1010 }, maxCount: 1, clientToken: 'bad-2' }),
    );
    expect(big).toMatchObject({ error: { code: 400, status: 'OUT_OF_RANGE' } });
    const az = await failure(
      disk.createDisks!({
        diskSpec: { ...spec, az: 'nowhere', diskSizeGB: 20 },
        maxCount: 1,
        clientToken: 'bad-3',
      }),
    );
    expect(az).toMatchObject({ error: { code: 400, status: 'FAILED_PRECONDITION' } });
    const type = await failure(
      disk.createDisks!({
        diskSpec: { ...spec, diskType: 'floppy', diskSizeGB: 20 },
        maxCount: 1,
        clientToken: 'bad-4',
      }),
    );
    expect(type).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    const quota = await failure(
      disk.createDisks!({ diskSpec: { ...spec, diskSizeGB: 20 }, maxCount: 6, clientToken: 'bad-5' }),
    );
    expect(quota).toMatchObject({ error: { status: 'QUOTA_EXCEEDED' } });
    // A monthly package is not built for disks: refused, not made as pay-as-you-go.
    const prepaid = await failure(
      disk.createDisks!({
        diskSpec: {
          ...spec,
          diskSizeGB: 20,
          charge: { chargeMode: 'prepaid_by_duration', chargeDuration: 1 },
        },
        maxCount: 1,
        clientToken: 'bad-6',
      }),
    );
    expect(prepaid).toMatchObject({ error: { code: 400 } });
    expect((await disk.describeDisks!({})).result.totalCount).toBe(0);
    expect(images()).toEqual([]);
  });

  test('creates, snapshots, clones, extends, restores and deletes disks, rbd agreeing at each step', async () => {
    const spec = { az: AZ, name: 'data-1', description: 'sdk', diskType: 'ssd', diskSizeGB: 20 };
    const { result: created } = await disk.createDisks!({
      diskSpec: spec,
      maxCount: 1,
      clientToken: 'tok-1',
    });
    const [diskId] = created.diskIds as string[];
    expect(diskId).toMatch(/^vol-[a-z0-9]{10}$/);
    // The same token again: the same disk, no second one.
    const { result: again } = await disk.createDisks!({ diskSpec: spec, maxCount: 1, clientToken: 'tok-1' });
    expect(again.diskIds).toEqual([diskId]);
    const d = await diskIs(diskId!, 'available');
    expect(d).toMatchObject({ az: AZ, name: 'data-1', diskType: 'ssd', diskSizeGB: 20, attachments: [] });
    expect(images()).toEqual([diskId]);
    expect(sizeOf(diskId!)).toBe(20 * GiB);

    const { result: snap } = await disk.createSnapshot!({
      snapshotSpec: { name: 'snap-1', diskId },
      clientToken: 'snap-tok-1',
    });
    const snapshotId = snap.snapshotId as string;
    expect(await snapshotIs(snapshotId, 'available')).toMatchObject({ diskId, snapshotSizeGB: 20 });
    expect(rbd('snap', 'ls', `${pool.pool}/${diskId}`)).toContain(snapshotId);

    // A larger disk from the snapshot: a copy-on-write clone, grown.
    const { result: fromSnap } = await disk.createDisks!({
      diskSpec: { ...spec, name: 'from-snap', diskSizeGB: 30, snapshotId },
      maxCount: 1,
      clientToken: 'tok-2',
    });
    const [cloneId] = fromSnap.diskIds as string[];
    expect(await diskIs(cloneId!, 'available')).toMatchObject({ diskSizeGB: 30, snapshotId });
    expect(sizeOf(cloneId!)).toBe(30 * GiB);
    expect(rbd('info', `${pool.pool}/${cloneId}`)).toContain(`parent: ${pool.pool}/${diskId}@${snapshotId}`);

    // Dependents are refused with JD's envelope, and nothing changes.
    expect(await failure(disk.deleteSnapshot!({ snapshotId }))).toMatchObject({
      error: { code: 400, status: 'FAILED_PRECONDITION' },
    });
    expect(await failure(disk.deleteDisk!({ diskId }))).toMatchObject({
      error: { code: 400, status: 'FAILED_PRECONDITION' },
    });
    expect(await failure(disk.extendDisk!({ diskId, diskSizeGB: 10 }))).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT' },
    });

    await disk.extendDisk!({ diskId, diskSizeGB: 40 });
    expect((await diskIs(diskId!, 'available')).diskSizeGB).toBe(40);
    expect(sizeOf(diskId!)).toBe(40 * GiB);
    await disk.restoreDisk!({ diskId, snapshotId });
    await diskIs(diskId!, 'available');
    await disk.modifyDiskAttribute!({ diskId, name: 'data-renamed' });

    const { result: listed } = await disk.describeDisks!({ filters: [{ name: 'diskId', values: [diskId] }] });
    expect(listed.totalCount).toBe(1);
    expect(listed.disks[0]).toMatchObject({ diskId, name: 'data-renamed' });
    const { result: snaps } = await disk.describeSnapshots!({
      filters: [{ name: 'diskId', values: [diskId] }],
    });
    expect(snaps.snapshots.map((s: Any) => s.snapshotId)).toEqual([snapshotId]);
    const { result: quota } = await disk.describeQuota!({ type: 'disk' });
    expect(quota.quota).toMatchObject({ type: 'disk', limit: 5, used: 2 });

    // Deletes in dependency order; pollers see deleting, then the row goes.
    const goneDisk = async (id: string) => {
      for (let i = 0; i < 150; i++) {
        const e = await failure(disk.describeDisk!({ diskId: id }));
        if (e) return e;
        await new Promise((r) => setTimeout(r, 200));
      }
      return undefined;
    };
    await disk.deleteDisk!({ diskId: cloneId });
    expect(await goneDisk(cloneId!)).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    await disk.deleteSnapshot!({ snapshotId });
    for (let i = 0; i < 150; i++) {
      if (await failure(disk.describeSnapshot!({ snapshotId }))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rbd('snap', 'ls', `${pool.pool}/${diskId}`).trim()).toBe('');
    await disk.deleteDisk!({ diskId });
    expect(await goneDisk(diskId!)).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    expect(images()).toEqual([]);
    expect((await disk.describeDisks!({})).result.totalCount).toBe(0);
  }, 120_000);

  test('kumo storage add, list and remove as the admin runs them; the cephx key is never shown', () => {
    const home = mkdtempSync(join(tmpdir(), 'kstor-cli-'));
    try {
      const kumo = kumoIn(home);
      const creds = {
        KUMO_ACCESS_KEY: env.credentials.accessKey,
        KUMO_SECRET_KEY: env.credentials.secretKey,
        KUMO_ENDPOINT: env.endpoint,
      };
      const added = JSON.parse(
        ok(
          kumo(
            creds,
            '-o',
            'json',
            'storage',
            'add',
            'local-1b',
            '--kind',
            'local',
            '--path',
            '/var/lib/kumo/disks',
          ),
        ),
      ) as { storageBackendId: string };
      const table = ok(kumo(creds, 'storage', 'list'));
      expect(table).toContain('local-1b');
      expect(table).toContain(`${pool.pool} @ ${cephMonitor()} as ${pool.user}`);
      expect(ok(kumo(creds, '-o', 'json', 'storage', 'list'))).not.toContain(pool.key);
      // One backend per AZ; a Ceph that refuses the key is refused before anything is stored.
      expect(kumo(creds, 'storage', 'add', 'local-1b', '--kind', 'local', '--path', '/x').status).not.toBe(0);
      const badKey = kumo(
        creds,
        'storage',
        'add',
        'local-1c',
        '--kind',
        'rbd',
        '--ceph-pool',
        pool.pool,
        '--monitor',
        cephMonitor(),
        '--user',
        pool.user,
        '--key',
        'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
      );
      expect(badKey.status).not.toBe(0);
      expect(ok(kumo(creds, 'storage', 'list'))).not.toContain('local-1c');
      expect(ok(kumo(creds, 'storage', 'remove', added.storageBackendId))).toContain(added.storageBackendId);
      expect(ok(kumo(creds, 'storage', 'list'))).not.toContain('local-1b');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
