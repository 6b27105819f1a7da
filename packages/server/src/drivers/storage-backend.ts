// StorageBackend: the disks of one AZ (volumes, snapshots, attach), as @kumo/storage's backends
// (`local`, `rbd`) implement it; opened from the admin's storage_backends row by the factory of
// its kind. It must not know about the database.
import { LocalBackend, RbdBackend, StorageError, type DiskBackend } from '@kumo/storage';

export type { Attachment, ImageOrigin, StorageHost, VolumeOrigin } from '@kumo/storage';
export { isStorageError } from '@kumo/storage';

/** One storage backend of an AZ. */
export type StorageBackend = DiskBackend;

/** What a factory gets: the backend's id and settings, and the prefix of Kumo's libvirt objects. */
export interface StorageBackendSpec {
  id: string;
  config: Record<string, unknown>;
  /** KUMO_LIBVIRT_PREFIX (default `kumo-`): pools and secrets are `<prefix>disks-<id>`, `<prefix>rbd-<id>`. */
  namePrefix: string;
  /** Told each named step the backend reached (the crash tests' hook). */
  onStep?: (step: string) => void;
}

/** Opens a storage backend; one factory per kind (`local`, `rbd`). */
export type StorageBackendFactory = (spec: StorageBackendSpec) => StorageBackend;

const str = (c: Record<string, unknown>, k: string): string => {
  const v = c[k];
  if (typeof v !== 'string' || v === '')
    throw new StorageError('INVALID_ARGUMENT', `storage config lacks ${k}`);
  return v;
};

/** The `local` factory: a dir pool named `<prefix>disks-<id>` at `path` on every host. */
export const localBackend: StorageBackendFactory = ({ id, config, namePrefix }) =>
  new LocalBackend({ poolName: `${namePrefix}disks-${id}`, path: str(config, 'path') });

/** The `rbd` factory: monitors as `host:port` strings (port 3300 when absent). */
export const rbdBackend: StorageBackendFactory = ({ id, config, namePrefix, onStep }) =>
  new RbdBackend({
    ...(onStep ? { onStep } : {}),
    poolName: `${namePrefix}rbd-${id}`,
    cephPool: str(config, 'cephPool'),
    user: str(config, 'user'),
    key: str(config, 'key'),
    monitors: ((config.monitors as string[] | undefined) ?? []).map((m) => {
      const [host, port] = m.split(/:(?=\d+$)/);
      return { host: host!, port: port ? Number(port) : 3300 };
    }),
  });
