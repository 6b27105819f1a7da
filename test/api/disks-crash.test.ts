// kumod SIGKILLed inside disk tasks (KUMO_TEST_CRASH_AT stops it like `kill -9` right after the
// backend call, before the row records it): after a restart on the same database, each task
// converges — the created disk and snapshot become available, the deleted disk goes — and the
// Ceph pool holds exactly the inventory: no orphan image or snapshot, nothing missing.
import type { KumoClient } from '@kumo/client';
import { cephPool, haveCeph, rbd } from '../../packages/storage/test/support.js';
import { addRbdBackend } from '../support/storage.js';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { clientFor, removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

const R = '/v1/regions/local-1';
const AZ = 'local-1a';
const run = haveCeph() ? describe : describe.skip;

run('disk tasks survive kill -9', () => {
  let dbUrl: string;
  let kumod: KumodProcess;
  let keys: { accessKey: string; secretKey: string };
  // kumod listens on a new port after each restart.
  const user = (): KumoClient => clientFor(kumod.endpoint, keys);
  let pool: ReturnType<typeof cephPool>;
  const env = (crashAt?: string) => ({
    DATABASE_URL: dbUrl,
    // A short lease, so the restarted kumod takes the dead one's claims over quickly.
    KUMO_STORAGE_LEASE_SECONDS: '2',
    KUMO_STORAGE_INTERVAL_MS: '200',
    ...(crashAt ? { KUMO_TEST_CRASH_AT: crashAt } : {}),
  });

  beforeAll(async () => {
    pool = cephPool(`kstor-crash-${process.pid}`);
    dbUrl = await createTestDatabase();
    kumod = await startKumod(env());
    await addRbdBackend(kumod.admin(), AZ, pool);
    keys = await kumod.admin().adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
      body: { name: 'crash-disks' },
    });
  }, 120_000);

  afterAll(async () => {
    await kumod?.stop();
    if (kumod) removeDataDir(kumod.dataDir);
    await dropTestDatabase(dbUrl);
    pool?.drop();
  });

  /** Restarts kumod with `crashAt` armed, runs `act`, waits for the kill, restarts it clean. */
  async function crashDuring(crashAt: string, act: () => Promise<void>): Promise<void> {
    const { credentials, dataDir } = kumod;
    await kumod.stop();
    kumod = await startKumod(env(crashAt), { dataDir, adminCredentials: credentials });
    await act();
    const until = Date.now() + 30_000;
    while (kumod.child.exitCode === null && kumod.child.signalCode === null && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(kumod.child.signalCode).toBe('SIGKILL');
    await kumod.stop();
    kumod = await startKumod(env(), { dataDir, adminCredentials: credentials });
  }

  const images = () => rbd('ls', pool.pool).trim().split('\n').filter(Boolean).sort();
  async function status(path: string, key: 'disk' | 'snapshot'): Promise<string> {
    try {
      return (await user().request<Record<string, { status: string }>>('GET', path))[key]!.status;
    } catch (err) {
      if ((err as { httpStatus?: number }).httpStatus === 404) return 'gone';
      throw err;
    }
  }
  async function until(what: () => Promise<string>, want: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await what()) === want) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`never ${want} (last: ${await what()})`);
  }

  test('create, snapshot and delete each converge after kill -9 with the pool matching the inventory', async () => {
    let diskId = '';
    await crashDuring('disks:create:after', async () => {
      ({
        diskIds: [diskId],
      } = await user().request<{ diskIds: [string] }>('POST', `${R}/disks`, {
        body: {
          diskSpec: { az: AZ, name: 'c', diskType: 'ssd', diskSizeGB: 20 },
          maxCount: 1,
          clientToken: 'c1',
        },
      }));
    });
    await until(() => status(`${R}/disks/${diskId}`, 'disk'), 'available');
    expect(images()).toEqual([diskId]);

    let snapshotId = '';
    await crashDuring('snapshots:create:after', async () => {
      ({ snapshotId } = await user().request<{ snapshotId: string }>('POST', `${R}/snapshots`, {
        body: { snapshotSpec: { name: 's', diskId }, clientToken: 's1' },
      }));
    });
    await until(() => status(`${R}/snapshots/${snapshotId}`, 'snapshot'), 'available');
    expect(rbd('snap', 'ls', `${pool.pool}/${diskId}`)).toContain(snapshotId);
    await user().request('DELETE', `${R}/snapshots/${snapshotId}`);
    await until(() => status(`${R}/snapshots/${snapshotId}`, 'snapshot'), 'gone');
    expect(rbd('snap', 'ls', `${pool.pool}/${diskId}`).trim()).toBe('');

    await crashDuring('disks:delete:after', async () => {
      await user().request('DELETE', `${R}/disks/${diskId}`);
    });
    await until(() => status(`${R}/disks/${diskId}`, 'disk'), 'gone');
    expect(images()).toEqual([]);
  }, 180_000);
});
