// Storage set-up shared by the API tests on the environment's Ceph: an AZ's disks on one pool.
import type { KumoClient } from '@kumo/client';
import { cephMonitor, type cephPool } from '../../packages/storage/test/support.js';

/** Registers `pool` (its cephx user and key) as the rbd backend of `az`, through the admin API. */
export async function addRbdBackend(
  admin: KumoClient,
  az: string,
  pool: ReturnType<typeof cephPool>,
): Promise<void> {
  await admin.adminRequest('POST', '/storageBackends', {
    body: {
      az,
      kind: 'rbd',
      cephPool: pool.pool,
      monitors: [cephMonitor()],
      user: pool.user,
      key: pool.key,
    },
  });
}
