// StorageBackend: the disks of one AZ (volumes, snapshots, attach), as @kumo/storage's backends
// (`local`, `rbd`) implement it; opened from the admin's storage_backends row by the factory of
// its kind. It must not know about the database.
import { LocalBackend, RbdBackend, StorageError, type DiskBackend } from '@kumo/storage';

export type { Attachment, StorageHost } from '@kumo/storage';
export { isStorageError } from '@kumo/storage';

/** One storage backend of an AZ. */
export type StorageBackend = DiskBackend;

/** What a factory gets: the backend's id (libvirt objects are named after it) and its settings. */
export interface StorageBackendSpec {
  id: string;
  config: Record<string, unknown>;
}

/** Opens a storage backend; one factory per kind (`local`, `rbd`). */
export type StorageBackendFactory = (spec: StorageBackendSpec) => StorageBackend;

const str = (c: Record<string, unknown>, k: string): string => {
  const v = c[k];
  if (typeof v !== 'string' || v === '')
    throw new StorageError('INVALID_ARGUMENT', `storage config lacks ${k}`);
  return v;
};

/** The `local` factory: a dir pool named `kumo-disks-<id>` at `path` on every host. */
export const localBackend: StorageBackendFactory = ({ id, config }) =>
  new LocalBackend({ poolName: `kumo-disks-${id}`, path: str(config, 'path') });

/** The `rbd` factory: monitors as `host:port` strings (port 3300 when absent). */
export const rbdBackend: StorageBackendFactory = ({ id, config }) =>
  new RbdBackend({
    poolName: `kumo-rbd-${id}`,
    cephPool: str(config, 'cephPool'),
    user: str(config, 'user'),
    key: str(config, 'key'),
    monitors: ((config.monitors as string[] | undefined) ?? []).map((m) => {
      const [host, port] = m.split(/:(?=\d+$)/);
      return { host: host!, port: port ? Number(port) : 3300 };
    }),
  });
