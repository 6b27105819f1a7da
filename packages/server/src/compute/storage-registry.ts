// The open storage backends of this kumod, one per storage_backends row, opened on first use by
// the factory of the row's kind; and the hosts they reach (a host is prepared — pool, secret —
// once per process before its first use). Holds no policy.
import type { HostsModel, StorageBackendRecord, StorageBackendsModel } from '@kumo/store';
import type { DriverRegistry } from '../drivers/registry.js';
import type { StorageBackend, StorageHost } from '../drivers/storage-backend.js';

/** Storage backends by id, and host references for them. */
export class StorageRegistry {
  private readonly open = new Map<string, StorageBackend>();
  private readonly prepared = new Set<string>();

  constructor(
    private readonly drivers: DriverRegistry,
    private readonly backends: StorageBackendsModel,
    private readonly hosts: HostsModel,
    /** The prefix of Kumo's libvirt objects (KUMO_LIBVIRT_PREFIX). */
    private readonly namePrefix: string,
    /** Told each named step a backend reached (the crash tests' hook). */
    private readonly onStep?: (step: string) => void,
  ) {}

  /** The backend of a row (opened once). */
  backend(rec: StorageBackendRecord): StorageBackend {
    let b = this.open.get(rec.id);
    if (!b) {
      b = this.drivers.storage.get(rec.kind)({
        id: rec.id,
        config: rec.config,
        namePrefix: this.namePrefix,
        ...(this.onStep ? { onStep: this.onStep } : {}),
      });
      this.open.set(rec.id, b);
    }
    return b;
  }

  /** The backend with this id; undefined when the admin removed it. */
  async byId(id: string): Promise<{ rec: StorageBackendRecord; backend: StorageBackend } | undefined> {
    const rec = await this.backends.get(id);
    return rec && { rec, backend: this.backend(rec) };
  }

  /** A host as backends reach it, prepared for `backend`; undefined when the host is gone. */
  async host(rec: StorageBackendRecord, hostId: string): Promise<StorageHost | undefined> {
    const h = await this.hosts.find(hostId);
    if (!h) return undefined;
    const ref = { id: h.id, uri: h.uri };
    const key = `${rec.id}:${h.id}`;
    if (!this.prepared.has(key)) {
      await this.backend(rec).prepareHost(ref);
      this.prepared.add(key);
    }
    return ref;
  }

  /** The usable hosts of the backend's AZ, in id order. */
  async hostsOf(rec: StorageBackendRecord): Promise<{ id: string; uri: string }[]> {
    return (await this.hosts.list())
      .filter((h) => h.regionId === rec.regionId && h.az === rec.az && h.enabled && h.health !== 'down')
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((h) => ({ id: h.id, uri: h.uri }));
  }

  /** Closes every open backend. */
  async close(): Promise<void> {
    for (const b of this.open.values()) await b.close().catch(() => undefined);
    this.open.clear();
  }
}
