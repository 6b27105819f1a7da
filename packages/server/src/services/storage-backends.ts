// The admin's storage backends, one per AZ: `local` (a dir pool on each host at `path`) or `rbd`
// (a Ceph pool, its monitors and a cephx user). Adding one checks it answers before the row is
// kept; the cephx key is never shown back. Removing one is refused while disks or snapshots use it.
import { Errors } from '@kumo/contract';
import { UniqueViolation, newId, type StorageBackendRecord, type StorageBackendsModel } from '@kumo/store';
import type { StorageRegistry } from '../compute/storage-registry.js';

/** addStorageBackend's request. */
export interface AddStorageBackend {
  regionId?: string;
  az: string;
  kind: 'local' | 'rbd';
  name?: string;
  path?: string;
  cephPool?: string;
  monitors?: string[];
  user?: string;
  key?: string;
}

/** A backend as the admin API shows it (no key). */
export interface StorageBackendView {
  storageBackendId: string;
  regionId: string;
  az: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
  createTime: string;
}

const view = (r: StorageBackendRecord): StorageBackendView => {
  const { key: _key, ...config } = r.config;
  return {
    storageBackendId: r.id,
    regionId: r.regionId,
    az: r.az,
    kind: r.kind,
    name: r.name,
    config,
    createTime: r.createdAt.toISOString(),
  };
};

/** Storage backends (admin). */
export class StorageBackendService {
  constructor(
    private readonly backends: StorageBackendsModel,
    private readonly storage: StorageRegistry,
    private readonly defaultRegion: string,
  ) {}

  async add(req: AddStorageBackend): Promise<StorageBackendView> {
    let config: Record<string, unknown>;
    if (req.kind === 'local') {
      if (!req.path || !/^\/[A-Za-z0-9._/-]+$/.test(req.path))
        throw Errors.invalidParameter('path', 'an absolute directory path');
      config = { path: req.path };
    } else {
      if (!req.cephPool || !/^[A-Za-z0-9_.-]+$/.test(req.cephPool)) throw Errors.missingParameter('cephPool');
      if (!req.monitors?.length || req.monitors.some((m) => !/^[A-Za-z0-9.-]+(:\d+)?$/.test(m)))
        throw Errors.invalidParameter('monitors', 'host or host:port entries');
      if (!req.user || !/^[A-Za-z0-9_.-]+$/.test(req.user)) throw Errors.missingParameter('user');
      if (!req.key || !/^[A-Za-z0-9+/=]+$/.test(req.key))
        throw Errors.invalidParameter('key', 'a base64 cephx key');
      config = { cephPool: req.cephPool, monitors: req.monitors, user: req.user, key: req.key };
    }
    const id = newId('stor', 10);
    const rec: Omit<StorageBackendRecord, 'createdAt'> = {
      id,
      regionId: req.regionId ?? this.defaultRegion,
      az: req.az,
      kind: req.kind,
      name: req.name ?? `${req.kind}-${req.az}`,
      config,
    };
    // A Ceph that does not answer (or refuses the key) is refused before anything is stored.
    if (req.kind === 'rbd') {
      const probe = this.storage.backend({ ...rec, createdAt: new Date() });
      try {
        await probe.listVolumes({ id: '', uri: '' });
      } catch (err) {
        throw Errors.hostUnreachable(`Ceph pool ${req.cephPool}: ${(err as Error).message}`.slice(0, 300));
      }
    }
    try {
      return view(await this.backends.insert(rec));
    } catch (err) {
      if (err instanceof UniqueViolation) throw Errors.storageBackendExists(req.az);
      throw err;
    }
  }

  async list(): Promise<{ storageBackends: StorageBackendView[] }> {
    return { storageBackends: (await this.backends.list()).map(view) };
  }

  async remove(id: string): Promise<void> {
    const rec = await this.backends.get(id);
    if (!rec) throw Errors.storageBackendNotFound(id);
    if (!(await this.backends.removeUnused(id))) throw Errors.storageBackendInUse(id);
    // The hosts' pools and secrets go too, best effort: a host that is down keeps an empty pool.
    const backend = this.storage.backend(rec);
    for (const h of await this.storage.hostsOf(rec)) await backend.releaseHost(h).catch(() => undefined);
  }
}
