// What instance operations take: a validated createInstances request, the caller for the action
// log, and the network plane's part of creation. Types only; the policy is instances.ts'.
import type { NetworkInterfaceRecord, Scope, Transaction, Account } from '@kumo/store';
import type { ChargeRequest } from '../billing/charges.js';
import type { InterfaceSpec } from './network-interfaces.js';

/** A validated createInstances request. */
export interface CreateRequest {
  name: string;
  az: string;
  instanceType: string;
  imageId: string;
  /** The primary interface; absent: one in the account's default subnet of the AZ. */
  networkInterface?: InterfaceSpec | undefined;
  /** An elastic IP created with the instance (and released with it). */
  elasticIp?: { bandwidthMbps: number; provider: string } | undefined;
  keyNames: string[];
  password?: string;
  hostname?: string;
  description: string;
  diskCategory: 'local' | 'cloud';
  diskSizeGB?: number;
  /** The cloud system disk's type (JD's `ssd`, `premium-hdd`…); absent: `ssd`. */
  systemDiskType?: string;
  /** Cloud data disks made with each instance, in the order the guest sees them (default none). */
  dataDisks?: DataDiskRequest[];
  userdata?: string;
  maxCount: number;
  clientToken?: string;
  /** JD's ChargeSpec, validated; absent: postpaid_by_duration. */
  charge?: ChargeRequest;
}

/** A cloud data disk createInstances makes with each instance (JD's cloudDiskSpec and attachment). */
export interface DataDiskRequest {
  diskType: string;
  diskSizeGB: number;
  snapshotId?: string;
  name?: string;
  description: string;
  multiAttachable: boolean;
  autoDelete: boolean;
  deviceName?: string;
}

/** What instance creation needs of the storage plane (the writes in the caller's transaction). */
export interface InstanceDisks {
  /**
   * Checks the data disks of a request for `count` instances; returns what `write` takes. With
   * `system`, on an AZ whose storage is shared (rbd), each instance's root disk is a cloud disk
   * too, a clone of the image (elsewhere a cloud system disk is the host's overlay).
   */
  plan(
    scope: Scope,
    az: string,
    disks: DataDiskRequest[],
    count: number,
    system?: SystemDiskRequest,
  ): Promise<DataDiskPlan>;
  /** Writes one instance's disks (a `create` task each) and their attachments. */
  write(
    trx: Transaction,
    scope: Scope,
    plan: DataDiskPlan,
    instance: { id: string; name: string; hostId: string },
  ): Promise<void>;
  /** Starts the storage worker (after the commit). */
  kick(): void;
  /**
   * The instance's cloud system disk (its root on shared storage) and how many snapshots it has;
   * undefined when its root is a host overlay.
   */
  cloudRoot(instanceId: string): Promise<{ diskId: string; snapshots: number } | undefined>;
}

/** A cloud system disk: its type and size, and the image it is a clone of. */
export interface SystemDiskRequest {
  diskType: string;
  diskSizeGB: number;
  imageId: string;
}

/** Data disks (and a cloud system disk) checked against their AZ's backend, with device names settled. */
export interface DataDiskPlan {
  backendId: string | null;
  disks: (DataDiskRequest & {
    deviceName: string;
    from?: { diskId: string; snapshotId: string };
    /** Set on the system disk (device `vda`): the image its volume is cloned from. */
    imageId?: string;
  })[];
}

/** What instance creation needs of the network plane's services (all in the caller's transaction). */
export interface InstanceNetwork {
  /** Resolves the spec (or the AZ's default subnet) and writes the instance's primary interface. */
  primaryInterface(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    spec: InterfaceSpec | { az: string },
  ): Promise<NetworkInterfaceRecord>;
  /** Allocates an elastic IP owned by the instance and binds it to the interface's primary address. */
  elasticIpFor(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    nic: NetworkInterfaceRecord,
    spec: { bandwidthMbps: number; provider: string },
  ): Promise<void>;
  /** Starts convergence (after the commit). */
  kick(): void;
}

/** Who asked, for the action log. */
export interface Caller {
  account: Account;
  accessKey: string;
  requestId: string;
}
