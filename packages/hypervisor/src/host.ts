// Host: one hypervisor host reached through libvirt only, as the control plane uses it. A facade:
// it connects, settles the host profile and hands each call to the module that does the work
// (storage, image cache, networks, domain lifecycle, consoles, events). No libvirt name, handle or error leaves.
import type { Duplex, Readable } from 'node:stream';
import { LibvirtClient, type ConnectOptions } from '@kumo/libvirt';
import { readCapacity } from './capacity.js';
import { HostContext, type StepHooks } from './context.js';
import { designProfile, type HostProfile, type ProfileSettings } from './designer.js';
import { Consoles, type ConsoleLog } from './domains/consoles.js';
import { Domains } from './domains/domains.js';
import { RootExports } from './domains/exports.js';
import { Lifecycle, type InstanceSummary, type PowerOffOptions } from './domains/lifecycle.js';
import { Nics } from './domains/nics.js';
import { Provisioner } from './domains/provision.js';
import { translate } from './errors.js';
import { openEventFeed, type EventFeed } from './events.js';
import { ImageCache } from './image-cache.js';
import type { ImageFiles, ImageManifest } from './image.js';
import { silentLogger, type Logger } from './log.js';
import { Naming } from './naming.js';
import { Networks } from './networks.js';
import { probeAccelerator } from './probe.js';
import type {
  ExtraNic,
  HostCapacity,
  InstanceSpec,
  InstanceType,
  NetworkSpec,
  PowerState,
  SpawnOptions,
} from './spec.js';
import { Pool } from './storage/pool.js';
import { Volumes } from './storage/volumes.js';

export type { EventFeed } from './events.js';
export type { ConsoleLog } from './domains/consoles.js';
export type { InstanceSummary, PowerOffOptions } from './domains/lifecycle.js';

/** How to reach and use one host. */
export interface HostOptions extends ProfileSettings, StepHooks {
  /** libvirt URI, e.g. qemu:///system or qemu+tls://host/system. */
  uri: string;
  /** Storage pool holding base images, overlays and seeds. */
  pool: string;
  /** Prefix of every libvirt object Kumo creates (default `kumo-`). */
  namePrefix?: string;
  /** `kvm`, `qemu` (TCG), or `probe` (default): boot a probe guest under KVM to see if KVM works. */
  accelerator?: 'kvm' | 'qemu' | 'probe';
  /** Thin-provisioning ratio: a spawn needs rootDiskBytes / diskOvercommit free in the pool. */
  diskOvercommit?: number;
  /** Where the host's warnings go (e.g. the probe falling back to TCG); default: nowhere. */
  logger?: Logger;
  connect?: ConnectOptions;
}

/** One libvirt host as the control plane sees it. Create with `Host.connect(options)`. */
export class Host {
  private readonly pool: Pool;
  private readonly images: ImageCache;
  private readonly networks: Networks;
  private readonly lifecycle: Lifecycle;
  private readonly provisioner: Provisioner;
  private readonly nics: Nics;
  private readonly consoles: Consoles;
  private readonly exports: RootExports;

  private constructor(
    private readonly ctx: HostContext,
    /** The facts and settings every guest on this host is designed with. */
    readonly profile: HostProfile,
    diskOvercommit: number,
    hostAddress: string,
  ) {
    this.pool = new Pool(ctx);
    const volumes = new Volumes(ctx);
    const domains = new Domains(ctx);
    this.images = new ImageCache(ctx, this.pool, volumes);
    this.networks = new Networks(ctx);
    this.nics = new Nics(ctx, domains);
    this.consoles = new Consoles(ctx, domains, this.pool, volumes, hostAddress);
    this.exports = new RootExports(ctx, domains, this.pool, volumes);
    this.lifecycle = new Lifecycle(ctx, profile, domains, this.pool, volumes, this.networks);
    this.provisioner = new Provisioner(
      ctx,
      profile,
      { diskOvercommit },
      domains,
      this.pool,
      volumes,
      this.images,
      this.networks,
    );
  }

  /** Connects to the host and settles its profile (probing the accelerator unless configured). */
  static async connect(opts: HostOptions): Promise<Host> {
    let lv: LibvirtClient;
    try {
      lv = await LibvirtClient.connect(opts.uri, opts.connect ?? {});
    } catch (err) {
      throw translate(err, 'connect', 'HOST_UNAVAILABLE');
    }
    try {
      const log = opts.logger ?? silentLogger;
      const names = new Naming(opts.namePrefix ?? 'kumo-');
      const caps = await lv.connectGetCapabilities();
      const accelerator =
        opts.accelerator === 'kvm' || opts.accelerator === 'qemu'
          ? opts.accelerator
          : await probeAccelerator(lv, opts.pool, names.prefix, log);
      const hooks: StepHooks = {
        ...(opts.faultInjector ? { faultInjector: opts.faultInjector } : {}),
        ...(opts.onStep ? { onStep: opts.onStep } : {}),
      };
      const ctx = new HostContext(lv, names, opts.pool, log, hooks);
      const hostAddress = new URL(opts.uri).hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
      return new Host(ctx, designProfile(accelerator, caps, opts), opts.diskOvercommit ?? 1, hostAddress);
    } catch (err) {
      await lv.close().catch(() => undefined);
      throw translate(err, 'connect');
    }
  }

  /** Closes the libvirt connection. */
  async close(): Promise<void> {
    await this.ctx.lv.close();
  }

  /** Defines, builds and starts the configured pool as a directory pool at `path`, if absent. */
  ensureDirPool(path: string): Promise<void> {
    return this.pool.ensureDir(path);
  }

  /** Stops and undefines the configured pool; its directory and any files in it remain. */
  removePool(): Promise<void> {
    return this.pool.remove();
  }

  /** vCPUs, memory and pool space of the host, and the accelerator guests run under. */
  capacity(): Promise<HostCapacity> {
    return readCapacity(this.ctx, this.pool, this.profile.accelerator);
  }

  /** True when the image's files are in the pool and verified. */
  hasImage(manifest: ImageManifest): Promise<boolean> {
    return this.images.has(manifest);
  }

  /**
   * Uploads an image's files into the pool once, through volume streams, and verifies each file's
   * sha256 both before upload and by reading it back. Idempotent: a verified image returns at once;
   * a half-uploaded one (crash) is deleted and uploaded again. A failure leaves no volume behind.
   */
  ensureImage(manifest: ImageManifest, files: ImageFiles): Promise<void> {
    return this.images.ensure(manifest, files);
  }

  /** Deletes an image's volumes; refused while any overlay in the pool is backed by it. */
  removeImage(manifest: ImageManifest): Promise<void> {
    return this.images.remove(manifest);
  }

  /**
   * Copies a stopped instance's root disk into a standalone qcow2 (backing chain flattened) named
   * by `tag`, replacing a partial copy a crash left. The instance must stay stopped meanwhile.
   */
  flattenRoot(id: string, tag: string): Promise<void> {
    return this.exports.flatten(id, tag);
  }

  /** The bytes of a flattened root disk (see flattenRoot); NOT_FOUND when there is none. */
  readFlattened(id: string, tag: string): Promise<Readable> {
    return this.exports.open(id, tag);
  }

  /** Removes a flattened root disk (no-op when absent). */
  removeFlattened(id: string, tag: string): Promise<void> {
    return this.exports.remove(id, tag);
  }

  /** Creates (or starts) the libvirt network of a Kumo subnet; idempotent. */
  ensureNetwork(spec: NetworkSpec): Promise<void> {
    return this.networks.ensure(spec);
  }

  /** Stops and undefines a Kumo subnet's libvirt network; idempotent. */
  removeNetwork(networkName: string): Promise<void> {
    return this.networks.remove(networkName);
  }

  /**
   * Creates and starts an instance: address check, root overlay (O(1), backed by the image's base
   * volume), seed volume, domain definition, start, DHCP reservation. A failure at any step undoes
   * the earlier ones; re-running after a crash converges because each step first checks what exists.
   */
  spawn(spec: InstanceSpec, opts?: SpawnOptions): Promise<void> {
    return this.provisioner.spawn(spec, opts);
  }

  /** Starts a stopped instance; no-op when it runs. */
  powerOn(id: string): Promise<void> {
    return this.lifecycle.powerOn(id);
  }

  /**
   * Stops an instance: presses the ACPI power button and waits up to gracefulTimeoutMs for the guest
   * to power off, then pulls the plug. Resolves with `forced` telling which happened.
   */
  powerOff(id: string, opts: PowerOffOptions = {}): Promise<{ forced: boolean }> {
    return this.lifecycle.powerOff(id, opts);
  }

  /** Asks the guest to reboot (ACPI); the domain keeps running. */
  reboot(id: string): Promise<void> {
    return this.lifecycle.reboot(id);
  }

  /** Changes vCPUs and memory (and the nested flag) of a stopped instance. */
  resize(id: string, type: InstanceType): Promise<void> {
    return this.lifecycle.resize(id, type);
  }

  /**
   * Gives a stopped instance a fresh root disk from `spec.image` (same size) and a fresh seed, keeping
   * its identity: domain, MAC, IP and instance id. The old volumes are deleted only after the domain
   * points at the new ones.
   */
  rebuild(id: string, spec: InstanceSpec): Promise<void> {
    return this.provisioner.rebuild(id, spec);
  }

  /** Writes a stopped instance's seed anew from `spec` (its keys, say), in place; idempotent. */
  reseed(id: string, spec: InstanceSpec): Promise<void> {
    return this.provisioner.reseed(id, spec);
  }

  /**
   * Removes an instance: stops it, undefines the domain, deletes its overlay and seed (unless
   * keepVolumes) and its DHCP reservation. Idempotent: whatever is already gone is skipped.
   */
  destroy(id: string, opts: { keepVolumes?: boolean } = {}): Promise<void> {
    return this.lifecycle.destroy(id, opts);
  }

  /**
   * Plugs a secondary NIC into an instance: into the running guest (hot-plug) and its definition;
   * idempotent by MAC.
   */
  plugNic(id: string, nic: ExtraNic): Promise<void> {
    return this.nics.plug(id, nic);
  }

  /** Unplugs the NIC with `mac` from the running guest and the definition; idempotent. */
  unplugNic(id: string, mac: string): Promise<void> {
    return this.nics.unplug(id, mac);
  }

  /**
   * Moves a stopped instance's NIC (by MAC) onto an OVN port in its definition, e.g. off a libvirt
   * NAT network; idempotent.
   */
  replaceNic(id: string, nic: ExtraNic): Promise<void> {
    return this.nics.replace(id, nic);
  }

  /** The power state of an instance, `absent` when the host has no such domain. */
  state(id: string): Promise<PowerState> {
    return this.lifecycle.state(id);
  }

  /** Every Kumo instance defined on this host with its power state, sorted by id. */
  list(): Promise<InstanceSummary[]> {
    return this.lifecycle.list();
  }

  /** Instance ids that own volumes in this host's pool (see the reconciler's orphan sweep). */
  volumeOwners(): Promise<string[]> {
    return this.lifecycle.volumeOwners();
  }

  /** A byte stream to a running instance's VNC server, past RFB security (see Consoles.openVnc). */
  openVnc(id: string, password?: string): Promise<Duplex> {
    return this.consoles.openVnc(id, password);
  }

  /** A byte stream to a running instance's serial console (see Consoles.openSerial). */
  openSerial(id: string): Promise<Duplex> {
    return this.consoles.openSerial(id);
  }

  /** The tail of an instance's serial console log (see Consoles.readLog). */
  readConsoleLog(id: string, maxBytes: number): Promise<ConsoleLog> {
    return this.consoles.readLog(id, maxBytes);
  }

  /** A feed of lifecycle events of this host's Kumo instances. */
  events(): Promise<EventFeed> {
    return openEventFeed(this.ctx);
  }
}
