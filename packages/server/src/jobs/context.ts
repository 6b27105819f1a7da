// What task steps may use, as narrow interfaces: hosts (through HostDriver), the inventory reads
// they need, placement for a spawn moving hosts, and named locks. Built by the composition root
// from store models; unit tests build it from fakes. Nothing here reaches back into services.
import type { Readable } from 'node:stream';
import type { ImageRecord, InstanceRecord, NetworkInterfaceRecord, Scope, SubnetRecord } from '@kumo/store';
import type { HostAccess } from '../compute/host-registry.js';
import type { Replacement } from '../compute/placement.js';
import type { ComputeConfig } from '../config.js';
import type { ImageStore } from '../drivers/image-store.js';
import type { Logger } from '../logger.js';

/** Inventory reads of task steps. */
export interface TaskInventory {
  image(id: string): Promise<ImageRecord | undefined>;
  subnet(regionId: string, id: string): Promise<SubnetRecord | undefined>;
  /** The public keys of the named keypairs that still exist. */
  publicKeys(scope: Scope, keyNames: readonly string[]): Promise<string[]>;
  instance(id: string): Promise<InstanceRecord | undefined>;
}

/**
 * What task steps need of the network plane. The converger, not a step, writes OVN: a step waits
 * for it. Waits that run out throw HOST_UNAVAILABLE, so the task stays at its step and runs again
 * later instead of failing or moving hosts over an engine that is merely slow or away.
 */
export interface TaskNetwork {
  /** The integration bridge guest NICs plug into (`br-int`). */
  readonly bridge: string;
  /** An instance's live interfaces, the primary first; none for an instance of the NAT era. */
  interfaces(instanceId: string): Promise<NetworkInterfaceRecord[]>;
  /** Resolves once the plane holds the interface's current generation. */
  converged(interfaceId: string): Promise<void>;
  /** Resolves once a host bound the interface's port and the plane reports it up. */
  portUp(interfaceId: string): Promise<void>;
}

/**
 * Moving an instance of the NAT era onto the plane (services/nat-era.ts decides how): its place
 * written to the inventory, then settled once its domain is on the port.
 */
export interface TaskAdoption {
  /** Idempotent: the instance's primary interface, and the shared subnet whose network it leaves. */
  adopt(inst: InstanceRecord): Promise<{ nic: NetworkInterfaceRecord; sharedSubnetId: string }>;
  /** The shared subnet an instance of the NAT era sits on (or left, if adopted but not settled). */
  sharedSubnetOf(inst: InstanceRecord): Promise<string | undefined>;
  /** Other instances on the host still on that shared subnet's libvirt network. */
  othersOnHost(hostId: string, sharedSubnetId: string, exceptId: string): Promise<number>;
  /** The instance is on the plane for good. */
  settle(instanceId: string): Promise<void>;
}

/** The writes the createImage task makes to the image it fills (only a `pending` image changes). */
export interface TaskImageWrites {
  setProgress(id: string, percent: number): Promise<void>;
  settle(
    id: string,
    outcome: { status: 'ready'; manifest: unknown; sizeBytes: number } | { status: 'error'; reason: string },
  ): Promise<boolean>;
}

/**
 * The cloud data disks createInstances wrote with an instance: the storage worker makes them, the
 * spawn waits and attaches them to the domain before its first boot.
 */
export interface TaskDisks {
  /**
   * The instance's cloud disks: its data disks and a cloud system disk (`system`, the root at
   * `vda`); `local` ones live on its host (it cannot move without them).
   */
  dataDisks(
    instanceId: string,
  ): Promise<{ diskId: string; local: boolean; failed: boolean; system: boolean }[]>;
  /**
   * The device XML of the instance's cloud system disk, with its backend made usable from `hostId`
   * (the cephx secret the XML names); undefined when its root is a host overlay.
   */
  rootDiskXml(instanceId: string, hostId: string | null): Promise<string | undefined>;
  /**
   * Makes the instance's cloud system disk again from image `imageId` (the rebuild of a stopped
   * instance: its old data goes); false when its root is a host overlay.
   */
  reimageRoot(instanceId: string, imageId: string): Promise<boolean>;
  /**
   * The stopped instance's cloud system disk as a standalone qcow2 stream (made in a temporary
   * directory, removed when the stream ends or fails); undefined when its root is a host overlay.
   */
  exportRoot(instanceId: string): Promise<Readable | undefined>;
  /** Fences off every client of the instance's shared disks (see DiskBackend.fence); returns them. */
  fenceAll(instanceId: string): Promise<string[]>;
  /**
   * Resolves once every snapshot named is `available` (a whole-machine image's); throws when one
   * failed or is gone, HOST_UNAVAILABLE when they take too long (the step runs again).
   */
  snapshotsReady(snapshotIds: string[]): Promise<void>;
  /** Resolves once every data disk exists in its backend; throws when one could not be made. */
  created(instanceId: string): Promise<void>;
  /** Attaches the data disks to the instance's domain on `hostId` (and marks them attached); idempotent. */
  attachAll(instanceId: string, hostId: string): Promise<void>;
}

/** Named locks across every kumod process. */
export interface TaskLocks {
  /** Runs `fn` while holding the lock named `key` (others wait, then find the work done). */
  locked<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Dependencies of task steps. */
export interface TaskContext {
  hosts: HostAccess;
  inventory: TaskInventory;
  images: TaskImageWrites;
  placement: Replacement;
  locks: TaskLocks;
  network: TaskNetwork;
  disks: TaskDisks;
  natEra: TaskAdoption;
  /** Where image data lives (hosts are fed from it; createImage writes to it). */
  imageStore: ImageStore;
  compute: ComputeConfig;
  log: Logger;
  /** The VNC password of an instance, derived (never stored) so every kumod knows it. */
  vncPassword(instanceId: string): string;
}
