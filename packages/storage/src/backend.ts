// The contract every storage backend of an AZ meets: volumes keyed by Kumo disk ids, snapshots
// keyed by snapshot ids, attach/detach to a domain on a host, capacity. Every method is
// idempotent, so a task re-runs it after a crash. Knows nothing of the database.
import type { Readable } from 'node:stream';

/** A host of the AZ as the backend reaches it. */
export interface StorageHost {
  id: string;
  /** Its libvirt URI. */
  uri: string;
}

/** Where a disk is attached: a domain on a host, and whether the guest runs. */
export interface Attachment {
  host: StorageHost;
  domain: string;
}

/** An image a volume is made from: its content key and a way to read its bytes. */
export interface ImageOrigin {
  /** The sha256 (hex) of the image's bytes: a backend keeps one base per key. */
  key: string;
  format: 'qcow2' | 'raw';
  /** The bytes; the stream fails at its end if they are not the key's. */
  open(): Promise<Readable>;
}

/** What a new volume is made from: a snapshot of a disk, or an image (a shared backend's root disks). */
export type VolumeOrigin = { diskId: string; snapshotId: string } | { image: ImageOrigin };

/** One storage backend of an AZ. `host` is where a local volume lives; rbd ignores it for data. */
export interface DiskBackend {
  readonly kind: 'local' | 'rbd';
  /** Whether a disk lives on one host (local) or is reachable from every host (rbd). */
  readonly shared: boolean;
  /** Makes the backend usable from `host` (its pool; rbd: the cephx secret too). */
  prepareHost(host: StorageHost): Promise<void>;
  /** Removes what prepareHost made on `host`; volumes stay. */
  releaseHost(host: StorageHost): Promise<void>;
  /**
   * Creates the disk's volume of `sizeBytes` unless it exists, from `from` when given (a
   * snapshot's or an image's data, then grown to `sizeBytes`). Only a shared backend makes volumes
   * from images (INVALID_ARGUMENT otherwise): local root disks are the host's overlays.
   */
  ensureVolume(diskId: string, sizeBytes: number, host: StorageHost, from?: VolumeOrigin): Promise<void>;
  /** The volume's size in bytes, undefined when there is none. */
  volumeSize(diskId: string, host: StorageHost): Promise<number | undefined>;
  /** Grows the volume to `sizeBytes` (no-op when it is that big); online when attached to a running guest. */
  growVolume(diskId: string, sizeBytes: number, host: StorageHost, attached?: Attachment): Promise<void>;
  /**
   * Moves a detached volume of a host-local backend to another host: copied, verified by SHA-256
   * of the copy read back, then removed from `from`. Idempotent: a re-run after the source went
   * finds the copy; a partial copy is made again. A shared backend has nothing to move.
   */
  moveVolume(diskId: string, from: StorageHost, to: StorageHost): Promise<void>;
  /** Removes the volume (no-op when absent); HAS_DEPENDENTS while it has snapshots. */
  removeVolume(diskId: string, host: StorageHost): Promise<void>;
  /** Takes a crash-consistent snapshot unless it exists (the guest is paused for it where needed). */
  ensureSnapshot(diskId: string, snapshotId: string, host: StorageHost, attached?: Attachment): Promise<void>;
  /** Rolls the detached volume back to a snapshot. */
  restoreSnapshot(diskId: string, snapshotId: string, host: StorageHost): Promise<void>;
  /** Removes a snapshot (no-op when absent); HAS_DEPENDENTS while disks are cloned from it. */
  removeSnapshot(diskId: string, snapshotId: string, host: StorageHost): Promise<void>;
  /**
   * The `<disk>` device XML of the volume at guest `target`, for a definition to start with it (a
   * cloud root); only a shared backend's volumes are known without a host (INVALID_ARGUMENT otherwise).
   */
  deviceXml(diskId: string, target: string): string;
  /**
   * Writes the detached (or stopped guest's) volume as a standalone qcow2 file in `dir` and returns
   * its path, for an image made of it; a shared backend's only (INVALID_ARGUMENT otherwise: a host's
   * root overlay is flattened by its host).
   */
  exportQcow2(diskId: string, dir: string): Promise<string>;
  /**
   * Cuts off every client that has the volume open (the guest of a host that is down or cut off
   * from the control plane, whose QEMU may still run), so it cannot write once another host opened
   * the volume; returns the clients fenced. Only a shared backend has anything to fence.
   */
  fence(diskId: string): Promise<string[]>;
  /** Attaches the volume to the domain (live too when it runs); returns the guest target, e.g. `vdb`. */
  attach(diskId: string, at: Attachment, deviceName?: string): Promise<string>;
  /** Detaches the volume from the domain (live and config); no-op when not attached. */
  detach(diskId: string, at: Attachment): Promise<void>;
  /** Total and free bytes (of the pool on `host` for local). */
  capacity(host: StorageHost): Promise<{ totalBytes: number; freeBytes: number }>;
  /** Disk ids with a volume (on `host` for local). */
  listVolumes(host: StorageHost): Promise<string[]>;
  /**
   * Removes the backend's base of the image with content key `key` (shared backends keep one per
   * image), unless a volume is still cloned from it. Local backends keep no bases: `absent`.
   */
  removeImageBase(key: string): Promise<'removed' | 'in-use' | 'absent'>;
  /** The content keys of the image bases the backend keeps (none for local). */
  listImageBases(): Promise<string[]>;
  /** Closes connections and removes temporary files. */
  close(): Promise<void>;
}
