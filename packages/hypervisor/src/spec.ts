// Plain data types the control plane passes to a Host: instance specs, host profile, states and
// events; no behaviour, no libvirt types.
import type { ImageManifest } from './image.js';

/** vCPUs and memory of an instance type; `nested` asks for virtualization extensions in the guest. */
export interface InstanceType {
  vcpus: number;
  memoryMiB: number;
  nested?: boolean;
}

/** The instance's address on one Kumo subnet. */
export interface InstanceNic {
  /** The Kumo network this NIC is on (as passed to Host.ensureNetwork). */
  network: string;
  mac: string;
  ip: string;
  prefix: number;
  gateway: string;
  dns: string[];
  /** The link MTU the guest must use (an overlay's is below 1500: Geneve adds its header). */
  mtu?: number;
  /**
   * Set when the NIC is an OVN logical switch port: the domain plugs it into this Open vSwitch
   * bridge (br-int) with this interface id instead of a libvirt network, and no libvirt network or
   * DHCP reservation is made on the host (OVN serves DHCP).
   */
  ovn?: OvnAttachment;
}

/** Where an OVN-backed NIC plugs in. */
export interface OvnAttachment {
  /** The integration bridge, normally `br-int`. */
  bridge: string;
  /** The logical switch port's name: a UUID. */
  interfaceId: string;
}

/** A secondary NIC (an elastic network interface), hot-plugged or cold-plugged. */
export interface ExtraNic {
  mac: string;
  ovn: OvnAttachment;
}

/** Who may log in and how. */
export interface InstanceLogin {
  /** OpenSSH public keys for the image's default user (and root when rootLogin). */
  authorizedKeys: string[];
  /** A crypt(3) hash (e.g. `$6$…`), never a clear-text password. */
  passwordHash?: string;
  rootLogin?: boolean;
}

/** Everything a host needs to create one instance. */
export interface InstanceSpec {
  /** Kumo's instance id, e.g. `i-3kq9…`; lower-case letters, digits and dashes. */
  id: string;
  hostname: string;
  image: ImageManifest;
  type: InstanceType;
  rootDiskBytes: number;
  /**
   * The root disk is a cloud disk (an RBD image) of the storage plane: its `<disk>` device XML,
   * with target `vda`, joins the definition first (guests name virtio disks in PCI order, so the
   * root must come before the seed), and the host makes no root overlay.
   */
  cloudRoot?: { diskXml: string };
  nic: InstanceNic;
  login: InstanceLogin;
  /** Operator user-data: `#cloud-config` YAML is merged, anything else rides along as a MIME part. */
  userData?: string;
  /** VNC password (libvirt allows at most 8 characters). */
  vncPassword?: string;
}

/** Power state as the control plane sees it. */
/** How a spawn ends: started (the default), or only defined, for devices to be added before the first boot. */
export interface SpawnOptions {
  start?: boolean;
}

export type PowerState = 'running' | 'stopped' | 'paused' | 'shutting-down' | 'crashed' | 'absent';

/** A lifecycle change of an instance on this host. */
export interface InstanceEvent {
  id: string;
  kind:
    | 'defined'
    | 'undefined'
    | 'started'
    | 'stopped'
    | 'shutdown'
    | 'suspended'
    | 'resumed'
    | 'crashed'
    | 'other';
  /** True when the guest itself shut down (as opposed to a forced stop). */
  byGuest: boolean;
}

/** What a host offers. */
export interface HostCapacity {
  vcpus: number;
  memoryMiB: number;
  poolCapacityBytes: number;
  poolAvailableBytes: number;
  accelerator: 'kvm' | 'qemu';
}

/** A Kumo subnet on this host. */
export interface NetworkSpec {
  /** Kumo network id; lower-case letters, digits and dashes. */
  name: string;
  mode: 'nat' | 'bridge';
  /** For mode=bridge: an existing host bridge. */
  hostBridge?: string;
  /** For mode=nat: the gateway address and prefix (e.g. 10.77.1.1/24) and a dynamic range. */
  gateway?: string;
  prefix?: number;
  dhcpRange?: { start: string; end: string };
}
