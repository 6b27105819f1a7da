// StorageBackend: the slot for data disks (volumes, attach, snapshots), to be filled by the local
// pool and Ceph RBD implementations in packages/storage. Nothing implements it yet: today's only
// disk is the root overlay HostDriver.spawn creates. It must not know about the database.

/** A volume as the backend sees it. */
export interface BackendVolume {
  id: string;
  sizeBytes: number;
}

/**
 * One storage backend of an AZ. Every method is idempotent and keyed by Kumo's disk ids, so a
 * task can re-run it after a crash. Capacity comes from the backend, never guessed.
 */
export interface StorageBackend {
  /** Creates a volume unless it exists (optionally cloned from a snapshot). */
  ensureVolume(id: string, sizeBytes: number, fromSnapshot?: string): Promise<BackendVolume>;
  /** Grows a volume; never shrinks. */
  resizeVolume(id: string, sizeBytes: number): Promise<void>;
  /** Removes a volume (no-op when absent); refused while attached. */
  removeVolume(id: string): Promise<void>;
  /** Attaches a volume to an instance on a host, with the disk id as its virtio serial. */
  attach(id: string, instanceId: string, hostId: string): Promise<void>;
  /** Detaches a volume (no-op when not attached). */
  detach(id: string, instanceId: string, hostId: string): Promise<void>;
  /** Takes a snapshot unless it exists. */
  ensureSnapshot(volumeId: string, snapshotId: string): Promise<void>;
  /** Removes a snapshot (no-op when absent). */
  removeSnapshot(snapshotId: string): Promise<void>;
  /** Total and free bytes. */
  capacity(): Promise<{ totalBytes: number; freeBytes: number }>;
}

/** Opens a storage backend; one factory per driver name (e.g. `local`, `rbd`). */
export type StorageBackendFactory = (opts: { config: Record<string, string> }) => Promise<StorageBackend>;
