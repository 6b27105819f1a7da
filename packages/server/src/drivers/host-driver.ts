// HostDriver: compute on one host, the exact surface the server uses. @kumo/hypervisor's Host
// satisfies it structurally (drivers/libvirt.ts proves that at compile time); unit tests use the
// in-memory FakeHostDriver of testing/. It must not grow policy: decisions stay in the server.
import type { Duplex, Readable } from 'node:stream';
import type { Logger } from '@kumo/hypervisor';
import type {
  ConsoleLog,
  ExtraNic,
  HostCapacity,
  ImageFiles,
  ImageManifest,
  InstanceEvent,
  InstanceSpec,
  InstanceType,
  PowerState,
  SpawnOptions,
} from '@kumo/hypervisor';

/** An instance a host knows about, with its power state. */
export interface HostInstance {
  id: string;
  state: PowerState;
}

/** An open feed of lifecycle events; iterate it, and close it when done. */
export interface HostEventFeed extends AsyncIterable<InstanceEvent> {
  close(): Promise<void>;
}

/**
 * One connected compute host. Every method is idempotent where its name says "ensure", and every
 * instance operation converges when re-run after a crash (the task runner relies on that). Errors
 * are HypervisorErrors; `HOST_UNAVAILABLE` means "try again later", anything else is final.
 */
export interface HostDriver {
  /** What the host runs guests with, settled when it connected. */
  readonly profile: { readonly accelerator: 'kvm' | 'qemu' };
  /** Closes the connection. */
  close(): Promise<void>;
  /** Creates (if absent) and starts Kumo's directory storage pool at `path`. */
  ensureDirPool(path: string): Promise<void>;
  /** CPUs, memory (MiB) and pool space of the host. */
  capacity(): Promise<HostCapacity>;
  /** Uploads and verifies an image's files unless the host has them. */
  ensureImage(manifest: ImageManifest, files: ImageFiles): Promise<void>;
  /**
   * Writes a standalone (flattened) qcow2 copy of a stopped instance's root disk as export `tag`,
   * replacing a partial one a crash left; INVALID_STATE unless the instance is stopped.
   */
  flattenRoot(id: string, tag: string): Promise<void>;
  /** The bytes of an export made by flattenRoot; NOT_FOUND when there is none. */
  readFlattened(id: string, tag: string): Promise<Readable>;
  /** Removes an export (no-op when absent). */
  removeFlattened(id: string, tag: string): Promise<void>;
  /** Stops and removes a libvirt network of the NAT era (no-op when absent). */
  removeNetwork(name: string): Promise<void>;
  /**
   * Creates and starts an instance (a re-run only makes sure it runs); with `start: false` only
   * defines it, so disks can join the definition before its first boot.
   */
  spawn(spec: InstanceSpec, opts?: SpawnOptions): Promise<void>;
  /** Starts a stopped instance (no-op when running). */
  powerOn(id: string): Promise<void>;
  /** Stops an instance, gracefully for up to `gracefulTimeoutMs`, then by force. */
  powerOff(id: string, opts?: { gracefulTimeoutMs?: number }): Promise<{ forced: boolean }>;
  /** Reboots a running instance. */
  reboot(id: string): Promise<void>;
  /** Changes a stopped instance's vCPUs and memory. */
  resize(id: string, type: InstanceType): Promise<void>;
  /** Replaces a stopped instance's root disk and seed from `spec`. */
  rebuild(id: string, spec: InstanceSpec): Promise<void>;
  /** Writes a stopped instance's seed anew from `spec` (new keys), in place; idempotent. */
  reseed(id: string, spec: InstanceSpec): Promise<void>;
  /**
   * Plugs a secondary NIC into an instance: the running guest (hot-plug) and its definition, so
   * a stopped one has it at the next start. No-op when a NIC with its MAC is there.
   */
  plugNic(id: string, nic: ExtraNic): Promise<void>;
  /**
   * Moves the NIC with `nic.mac` of a stopped instance onto its OVN port in the definition (off
   * the NAT network it had); no-op when it is there. INVALID_STATE while the instance runs.
   */
  replaceNic(id: string, nic: ExtraNic): Promise<void>;
  /** Unplugs the NIC with `mac` from the running guest and the definition (no-op when absent). */
  unplugNic(id: string, mac: string): Promise<void>;
  /** Removes an instance and its volumes (no-op when absent). */
  destroy(id: string): Promise<void>;
  /** The power state of one instance (`absent` when the host does not know it). */
  state(id: string): Promise<PowerState>;
  /** Every Kumo instance the host knows. */
  list(): Promise<HostInstance[]>;
  /** Instance ids owning volumes in the host's pool (a domain may be gone, e.g. after a crash). */
  volumeOwners(): Promise<string[]>;
  /** Subscribes to lifecycle events. */
  events(): Promise<HostEventFeed>;
  /**
   * A byte stream to a running instance's VNC server past RFB's security phase (VNC
   * Authentication with `password` where the server listens on an address); INVALID_STATE when
   * it has none reachable.
   */
  openVnc(id: string, password?: string): Promise<Duplex>;
  /** A byte stream to a running instance's serial console. */
  openSerial(id: string): Promise<Duplex>;
  /** The last `maxBytes` of an instance's serial console log. */
  readConsoleLog(id: string, maxBytes: number): Promise<ConsoleLog>;
}

/** How to reach one host (a row of `hosts` plus the installation's settings). */
export interface HostConnectOptions {
  uri: string;
  pool: string;
  namePrefix: string;
  accelerator: 'kvm' | 'qemu' | 'probe';
  vncListen: string;
  /** Where the driver reports what it does and what went wrong (pino's Logger fits). */
  logger?: Logger;
  /** The crash-safety test hook: called before each named step of a spawn. */
  faultInjector?: (step: string) => void;
}

/** Connects to a host; one factory per driver name. */
export type HostDriverFactory = (opts: HostConnectOptions) => Promise<HostDriver>;
