// Host: one hypervisor host reached through libvirt only. Every multi-step operation registers undo
// steps as it goes and every step is idempotent; libvirt names, handles and errors stay inside.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import {
  DomainEventType,
  DomainShutdownFlags,
  DomainState,
  DomainXmlFlags,
  LibvirtClient,
  NetworkUpdateCommand,
  NetworkUpdateFlags,
  NetworkUpdateSection,
  isNotFound,
  type ConnectOptions,
  type Domain,
  type Network,
  type StoragePool,
  type StorageVol,
} from '@kumo/libvirt';
import { HypervisorError, translate } from './errors.js';
import { designCpu, designDomain, type HostProfile } from './designer.js';
import { imageKey, validateManifest, type ImageFiles, type ImageManifest } from './image.js';
import { Naming } from './naming.js';
import { probeAccelerator } from './probe.js';
import { Reverter } from './reverter.js';
import { buildSeedFiles } from './seed/cloudinit.js';
import { buildSeedIso } from './seed/iso.js';
import type {
  HostCapacity,
  InstanceEvent,
  InstanceSpec,
  InstanceType,
  NetworkSpec,
  PowerState,
} from './spec.js';
import { domainFromXml, domainToXml, type DomainConfig } from './xml/domain.js';
import { dhcpHostToXml, networkFromXml, networkToXml } from './xml/network.js';
import { dirPoolToXml, volumeToXml } from './xml/volume.js';

/** How to reach and use one host. */
export interface HostOptions {
  /** libvirt URI, e.g. qemu:///system or qemu+tls://host/system. */
  uri: string;
  /** Storage pool holding base images, overlays and seeds. */
  pool: string;
  /** Prefix of every libvirt object Kumo creates (default `kumo-`). */
  namePrefix?: string;
  /** `kvm`, `qemu` (TCG), or `probe` (default): boot a probe guest under KVM to see if KVM works. */
  accelerator?: 'kvm' | 'qemu' | 'probe';
  machine?: string;
  vncListen?: string;
  consoleLogDir?: string;
  /** Thin-provisioning ratio: a spawn needs rootDiskBytes / diskOvercommit free in the pool. */
  diskOvercommit?: number;
  /** Test hook called before each named step of spawn; throwing simulates that step failing. */
  faultInjector?: (step: string) => void | Promise<void>;
  /** Called after each named step with its duration, for tracing and benchmarks. */
  onStep?: (step: string, ms: number) => void;
  connect?: ConnectOptions;
}

/** Options of powerOff. */
export interface PowerOffOptions {
  /** Press the ACPI power button first and wait this long (default 60 s); 0 forces at once. */
  gracefulTimeoutMs?: number;
}

/** An instance this host knows about. */
export interface InstanceSummary {
  id: string;
  state: PowerState;
}

/** An open event feed; iterate it, and close it when done. */
export interface EventFeed extends AsyncIterable<InstanceEvent> {
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Hashes a local file with sha256. */
async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** One libvirt host as the control plane sees it. Create with `Host.connect(options)`. */
export class Host {
  private readonly names: Naming;
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly lv: LibvirtClient,
    private readonly opts: HostOptions,
    readonly profile: HostProfile,
  ) {
    this.names = new Naming(opts.namePrefix ?? 'kumo-');
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
      const caps = await lv.connectGetCapabilities();
      const nestedFeature = /<vendor>AMD<\/vendor>/.test(caps) ? 'svm' : 'vmx';
      const naming = new Naming(opts.namePrefix ?? 'kumo-');
      const accelerator =
        opts.accelerator === 'kvm' || opts.accelerator === 'qemu'
          ? opts.accelerator
          : await probeAccelerator(lv, opts.pool, naming.prefix);
      const profile: HostProfile = {
        accelerator,
        machine: opts.machine ?? 'q35',
        vncListen: opts.vncListen ?? '127.0.0.1',
        consoleLogDir: opts.consoleLogDir ?? '/var/log/libvirt/qemu',
        nestedFeature,
      };
      return new Host(lv, opts, profile);
    } catch (err) {
      await lv.close().catch(() => undefined);
      throw translate(err, 'connect');
    }
  }

  /** Closes the libvirt connection. */
  async close(): Promise<void> {
    await this.lv.close();
  }

  // Serialises operations on one key (an instance or image) within this process.
  private async locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private async step<T>(name: string, fn: () => Promise<T>, code?: HypervisorError['code']): Promise<T> {
    const t0 = performance.now();
    try {
      if (this.opts.faultInjector) await this.opts.faultInjector(name);
      return await fn();
    } catch (err) {
      throw translate(err, name, code);
    } finally {
      this.opts.onStep?.(name, performance.now() - t0);
    }
  }

  // ---- storage -------------------------------------------------------------------------------

  /** Defines, builds and starts the configured pool as a directory pool at `path`, if absent. */
  async ensureDirPool(path: string): Promise<void> {
    await this.step('ensure-pool', async () => {
      let pool: StoragePool;
      try {
        pool = await this.lv.storagePoolLookupByName(this.opts.pool);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        pool = await this.lv.storagePoolDefineXml(dirPoolToXml({ name: this.opts.pool, path }));
        await this.lv.storagePoolBuild(pool);
      }
      const info = await this.lv.storagePoolGetInfo(pool);
      if (info.state !== 2) {
        // An inactive pool's directory may have been removed since it was defined: build recreates it.
        await this.lv.storagePoolBuild(pool).catch(() => undefined);
        await this.lv.storagePoolCreate(pool);
      }
    });
  }

  /** Stops and undefines the configured pool; its directory and any files in it remain. */
  async removePool(): Promise<void> {
    await this.step('remove-pool', async () => {
      const pool = await this.lookupPool();
      if (!pool) return;
      await this.lv.storagePoolDestroy(pool).catch(() => undefined);
      await this.lv.storagePoolUndefine(pool);
    });
  }

  private async lookupPool(): Promise<StoragePool | undefined> {
    try {
      return await this.lv.storagePoolLookupByName(this.opts.pool);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async pool(): Promise<StoragePool> {
    const p = await this.lookupPool();
    if (!p) throw new HypervisorError('NOT_FOUND', `storage pool ${this.opts.pool} is missing`);
    return p;
  }

  private async vol(pool: StoragePool, name: string): Promise<StorageVol | undefined> {
    try {
      return await this.lv.storageVolLookupByName(pool, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async deleteVol(pool: StoragePool, name: string): Promise<void> {
    const v = await this.vol(pool, name);
    if (!v) return;
    try {
      await this.lv.storageVolDelete(v);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async uploadBuffer(pool: StoragePool, name: string, data: Buffer): Promise<StorageVol> {
    const vol = await this.lv.storageVolCreateXml(
      pool,
      volumeToXml({ name, capacityBytes: data.length, format: 'raw' }),
    );
    await this.lv.storageVolUpload(vol, Readable.from([data]));
    return vol;
  }

  // ---- capacity ------------------------------------------------------------------------------

  /** vCPUs, memory and pool space of the host, and the accelerator guests run under. */
  async capacity(): Promise<HostCapacity> {
    return this.step('capacity', async () => {
      const node = await this.lv.nodeGetInfo();
      const pool = await this.pool();
      await this.lv.storagePoolRefresh(pool).catch(() => undefined);
      const info = await this.lv.storagePoolGetInfo(pool);
      return {
        vcpus: node.cpus,
        memoryMiB: Number(node.memory / 1024n),
        poolCapacityBytes: Number(info.capacity),
        poolAvailableBytes: Number(info.available),
        accelerator: this.profile.accelerator,
      };
    });
  }

  // ---- images --------------------------------------------------------------------------------

  /** True when the image's files are in the pool and verified. */
  async hasImage(manifest: ImageManifest): Promise<boolean> {
    const pool = await this.pool();
    return (await this.vol(pool, this.names.imageVolume(imageKey(manifest), 'ok'))) !== undefined;
  }

  /**
   * Uploads an image's files into the pool once, through volume streams, and verifies each file's
   * sha256 both before upload and by reading it back. Idempotent: a verified image returns at once;
   * a half-uploaded one (crash) is deleted and uploaded again. A failure leaves no volume behind.
   */
  async ensureImage(manifest: ImageManifest, files: ImageFiles): Promise<void> {
    try {
      validateManifest(manifest);
    } catch (err) {
      throw new HypervisorError('INVALID_ARGUMENT', (err as Error).message, 'validate-image');
    }
    const key = imageKey(manifest);
    await this.locked(`image:${key}`, async () => {
      const pool = await this.step('lookup-pool', () => this.pool());
      if (await this.vol(pool, this.names.imageVolume(key, 'ok'))) return;
      const parts = (['root', 'kernel', 'initrd'] as const).flatMap((k) => {
        const meta = manifest.files[k];
        const path = files[k];
        if (!meta) return [];
        if (!path) throw new HypervisorError('INVALID_ARGUMENT', `no local file for ${k}`, 'validate-image');
        return [{ k, meta, path }];
      });
      await this.step(
        'verify-local-checksum',
        async () => {
          for (const p of parts) {
            const sum = await sha256File(p.path);
            if (sum !== p.meta.sha256)
              throw new HypervisorError(
                'CHECKSUM_MISMATCH',
                `${p.path}: sha256 ${sum}, manifest says ${p.meta.sha256}`,
              );
          }
        },
        'CHECKSUM_MISMATCH',
      );
      const total = parts.reduce((a, p) => a + p.meta.bytes, 0);
      await this.requireSpace(pool, total, 'image-space');
      const r = new Reverter();
      try {
        for (const p of parts) {
          const name = this.names.imageVolume(key, p.k);
          await this.step('upload-image', async () => {
            await this.deleteVol(pool, name); // leftovers of an interrupted upload
            const vol = await this.lv.storageVolCreateXml(
              pool,
              volumeToXml({ name, capacityBytes: p.meta.bytes, format: 'raw' }),
            );
            r.add(() => this.deleteVol(pool, name));
            await this.lv.storageVolUpload(vol, createReadStream(p.path));
            const h = createHash('sha256');
            for await (const chunk of await this.lv.storageVolDownload(vol)) h.update(chunk as Buffer);
            const sum = h.digest('hex');
            if (sum !== p.meta.sha256)
              throw new HypervisorError('CHECKSUM_MISMATCH', `${name} on host has sha256 ${sum}`);
          });
        }
        await this.step('mark-image', async () => {
          const marker = this.names.imageVolume(key, 'ok');
          await this.uploadBuffer(pool, marker, Buffer.from(`${JSON.stringify(manifest)}\n`));
        });
        r.success();
      } finally {
        await r.fail();
      }
    });
  }

  /** Deletes an image's volumes; refused while any overlay in the pool is backed by it. */
  async removeImage(manifest: ImageManifest): Promise<void> {
    const key = imageKey(manifest);
    await this.locked(`image:${key}`, () =>
      this.step('remove-image', async () => {
        const pool = await this.pool();
        const base = await this.vol(pool, this.names.imageVolume(key, 'root'));
        if (base) {
          const basePath = await this.lv.storageVolGetPath(base);
          for (const v of await this.lv.storagePoolListAllVolumes(pool)) {
            if (!v.name.startsWith(this.names.prefix) || v.name.includes('-img-')) continue;
            const xml = await this.lv.storageVolGetXmlDesc(v).catch(() => '');
            if (xml.includes(`<path>${basePath}</path>`) && /<backingStore>/.test(xml))
              throw new HypervisorError(
                'INVALID_STATE',
                `image ${manifest.name} is in use by an instance disk`,
              );
          }
        }
        // The marker goes first, so a crash half-way leaves an image that ensureImage re-uploads.
        for (const f of ['ok', 'root', 'kernel', 'initrd'] as const)
          await this.deleteVol(pool, this.names.imageVolume(key, f));
      }),
    );
  }

  private async imagePaths(pool: StoragePool, manifest: ImageManifest) {
    const key = imageKey(manifest);
    if (!(await this.vol(pool, this.names.imageVolume(key, 'ok'))))
      throw new HypervisorError('IMAGE_NOT_FOUND', `image ${manifest.name} is not on this host`);
    const path = async (f: 'root' | 'kernel' | 'initrd'): Promise<string | undefined> => {
      if (!manifest.files[f]) return undefined;
      const v = await this.vol(pool, this.names.imageVolume(key, f));
      if (!v) throw new HypervisorError('IMAGE_NOT_FOUND', `image ${manifest.name} lacks its ${f}`);
      return this.lv.storageVolGetPath(v);
    };
    return {
      root: (await path('root')) as string,
      kernel: await path('kernel'),
      initrd: await path('initrd'),
    };
  }

  // Uses the pool's figures as libvirt last saw them (updated on every volume create and delete, and
  // by capacity()); a refresh re-reads every volume header, too slow for each spawn.
  private async requireSpace(pool: StoragePool, bytes: number, step: string): Promise<void> {
    await this.step(step, async () => {
      const info = await this.lv.storagePoolGetInfo(pool);
      if (Number(info.available) < bytes)
        throw new HypervisorError(
          'INSUFFICIENT_SPACE',
          `pool ${this.opts.pool} has ${info.available} bytes free, ${bytes} needed`,
        );
    });
  }

  // ---- networks ------------------------------------------------------------------------------

  /** Creates (or starts) the libvirt network of a Kumo subnet; idempotent. */
  async ensureNetwork(spec: NetworkSpec): Promise<void> {
    const name = this.names.network(spec.name);
    await this.locked(`net:${name}`, () =>
      this.step('ensure-network', async () => {
        let net: Network;
        try {
          net = await this.lv.networkLookupByName(name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          if (spec.mode === 'bridge' && !spec.hostBridge)
            throw new HypervisorError('INVALID_ARGUMENT', 'bridge networks need hostBridge');
          if (spec.mode === 'nat' && (!spec.gateway || !spec.prefix))
            throw new HypervisorError('INVALID_ARGUMENT', 'NAT networks need gateway and prefix');
          const xml = networkToXml({
            name,
            forward: spec.mode,
            bridge: spec.mode === 'bridge' ? (spec.hostBridge as string) : this.names.bridge(spec.name),
            ...(spec.mode === 'nat'
              ? {
                  ip: {
                    address: spec.gateway as string,
                    prefix: spec.prefix as number,
                    hosts: [],
                    ...(spec.dhcpRange ? { dhcpRange: spec.dhcpRange } : {}),
                  },
                }
              : {}),
          });
          net = await this.lv.networkDefineXml(xml);
        }
        const active = (await this.lv.connectListAllNetworks(2 /* ACTIVE */)).some((n) => n.name === name);
        if (!active) await this.lv.networkCreate(net);
        await this.lv.networkSetAutostart(net, true).catch(() => undefined);
      }),
    );
  }

  /** Stops and undefines a Kumo subnet's libvirt network; idempotent. */
  async removeNetwork(networkName: string): Promise<void> {
    await this.step('remove-network', async () => {
      let net: Network;
      try {
        net = await this.lv.networkLookupByName(this.names.network(networkName));
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      await this.lv.networkDestroy(net).catch(() => undefined);
      await this.lv.networkUndefine(net);
    });
  }

  // With dryRun it only checks that the address is free for this MAC (read-only, fast).
  private async reserve(
    networkName: string,
    id: string,
    mac: string,
    ip: string,
    dryRun = false,
  ): Promise<boolean> {
    const net = await this.lv.networkLookupByName(this.names.network(networkName));
    const cfg = networkFromXml(await this.lv.networkGetXmlDesc(net, 1 /* VIR_NETWORK_XML_INACTIVE */));
    if (!cfg.ip) return false; // a bridge to a host bridge: addressing is not ours to hand out
    const same = cfg.ip.hosts.find((h) => h.mac === mac);
    if (same && same.ip === ip) return false;
    const other = cfg.ip.hosts.find((h) => h.ip === ip && h.mac !== mac);
    if (other) throw new HypervisorError('ALREADY_EXISTS', `address ${ip} is reserved for another MAC`);
    if (dryRun) return false;
    if (same) await this.unreserveHost(net, same.mac, same.ip, same.name);
    await this.lv.networkUpdate(
      net,
      NetworkUpdateCommand.ADD_LAST,
      NetworkUpdateSection.IP_DHCP_HOST,
      -1,
      dhcpHostToXml({ mac, ip, name: id }),
      NetworkUpdateFlags.AFFECT_LIVE | NetworkUpdateFlags.AFFECT_CONFIG,
    );
    return true;
  }

  private async unreserveHost(net: Network, mac: string, ip: string, name?: string): Promise<void> {
    const xml = dhcpHostToXml(name !== undefined ? { mac, ip, name } : { mac, ip });
    await this.lv.networkUpdate(
      net,
      NetworkUpdateCommand.DELETE,
      NetworkUpdateSection.IP_DHCP_HOST,
      -1,
      xml,
      NetworkUpdateFlags.AFFECT_LIVE | NetworkUpdateFlags.AFFECT_CONFIG,
    );
  }

  // Removes every reservation made for instance `id` on any of our networks (found by name = id).
  private async unreserveAll(id: string): Promise<void> {
    for (const net of await this.lv.connectListAllNetworks(0)) {
      if (this.names.networkName(net.name) === undefined) continue;
      const cfg = networkFromXml(await this.lv.networkGetXmlDesc(net, 1));
      for (const h of cfg.ip?.hosts ?? [])
        if (h.name === id) await this.unreserveHost(net, h.mac, h.ip, h.name);
    }
  }

  // ---- domains -------------------------------------------------------------------------------

  private async lookupDomain(id: string): Promise<Domain | undefined> {
    try {
      return await this.lv.domainLookupByName(this.names.domain(id));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async domain(id: string): Promise<Domain> {
    const d = await this.lookupDomain(id);
    if (!d) throw new HypervisorError('NOT_FOUND', `instance ${id} is not on this host`);
    return d;
  }

  private async domainState(d: Domain): Promise<PowerState> {
    const s = await this.lv.domainGetState(d);
    switch (s.state) {
      case DomainState.RUNNING:
      case DomainState.BLOCKED:
        return 'running';
      case DomainState.PAUSED:
      case DomainState.PMSUSPENDED:
        return 'paused';
      case DomainState.SHUTDOWN:
        return 'shutting-down';
      case DomainState.CRASHED:
        return 'crashed';
      default:
        return 'stopped';
    }
  }

  private async config(d: Domain): Promise<DomainConfig> {
    return domainFromXml(await this.lv.domainGetXmlDesc(d, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE));
  }

  private async nicSource(networkName: string): Promise<{ kind: 'network' | 'bridge'; source: string }> {
    return { kind: 'network', source: this.names.network(networkName) };
  }

  /**
   * Creates and starts an instance: address check, root overlay (O(1), backed by the image's base
   * volume), seed volume, domain definition, start, DHCP reservation. A failure at any step undoes the earlier
   * ones; re-running after a crash converges because each step first checks what exists.
   */
  async spawn(spec: InstanceSpec): Promise<void> {
    await this.locked(`inst:${spec.id}`, async () => {
      let seedFiles: ReturnType<typeof buildSeedFiles>;
      try {
        validateManifest(spec.image);
        seedFiles = buildSeedFiles(spec);
      } catch (err) {
        throw new HypervisorError('INVALID_ARGUMENT', (err as Error).message, 'validate');
      }
      if (spec.rootDiskBytes < spec.image.minDiskBytes)
        throw new HypervisorError(
          'INVALID_ARGUMENT',
          `root disk smaller than the image's ${spec.image.minDiskBytes} bytes`,
          'validate',
        );
      const existing = await this.step('lookup', () => this.lookupDomain(spec.id));
      if (existing) {
        // Already defined (a re-run after a crash): only make sure it runs.
        if ((await this.domainState(existing)) !== 'running')
          await this.step('start', () => this.lv.domainCreate(existing), 'START_FAILED');
        return;
      }
      const pool = await this.step('lookup-pool', () => this.pool());
      const image = await this.step(
        'lookup-image',
        () => this.imagePaths(pool, spec.image),
        'IMAGE_NOT_FOUND',
      );
      await this.requireSpace(
        pool,
        Math.ceil(spec.rootDiskBytes / (this.opts.diskOvercommit ?? 1)),
        'check-space',
      );
      const rootName = this.names.rootVolume(spec.id);
      const seedName = this.names.seedVolume(spec.id);
      const r = new Reverter();
      // A live DHCP reservation costs 1–2 s in libvirt (dnsmasq is reloaded) and holds the network,
      // which a domain start also needs. The guest uses its static network-config and needs the
      // reservation only as a DHCP fallback, so the address is checked first and reserved right after
      // the start, while the guest boots; spawn returns once it is in place.
      await this.step('check-address', () =>
        this.reserve(spec.nic.network, spec.id, spec.nic.mac, spec.nic.ip, true),
      );
      try {
        const rootPath = await this.step('create-overlay', () =>
          this.createOverlay(pool, r, rootName, image.root, spec.rootDiskBytes),
        );
        const seedPath = await this.step('upload-seed', () => this.uploadSeed(pool, r, seedName, seedFiles));
        const nic = await this.nicSource(spec.nic.network);
        const cfg = designDomain(
          spec,
          this.profile,
          {
            domain: this.names.domain(spec.id),
            network: spec.nic.network,
            rootVolume: rootName,
            seedVolume: seedName,
            nicKind: nic.kind,
            nicSource: nic.source,
          },
          {
            rootDisk: rootPath,
            seed: seedPath,
            ...(image.kernel ? { kernel: image.kernel } : {}),
            ...(image.initrd ? { initrd: image.initrd } : {}),
          },
        );
        const dom = await this.step(
          'define',
          () => this.lv.domainDefineXml(domainToXml(cfg)),
          'DEFINE_FAILED',
        );
        r.add(() => this.lv.domainUndefine(dom));
        await this.step('start', () => this.lv.domainCreate(dom), 'START_FAILED');
        r.add(() => this.lv.domainDestroy(dom).catch(() => undefined));
        await this.step('reserve-address', async () => {
          if (await this.reserve(spec.nic.network, spec.id, spec.nic.mac, spec.nic.ip))
            r.add(() => this.unreserveAll(spec.id));
        });
        r.success();
      } finally {
        await r.fail();
      }
    });
  }

  private async createOverlay(
    pool: StoragePool,
    r: Reverter,
    name: string,
    base: string,
    bytes: number,
  ): Promise<string> {
    let vol = await this.vol(pool, name);
    if (!vol) {
      vol = await this.lv.storageVolCreateXml(
        pool,
        volumeToXml({
          name,
          capacityBytes: bytes,
          format: 'qcow2',
          backing: { path: base, format: 'qcow2' },
        }),
      );
      r.add(() => this.deleteVol(pool, name));
    }
    return this.lv.storageVolGetPath(vol);
  }

  private async uploadSeed(
    pool: StoragePool,
    r: Reverter,
    name: string,
    files: Record<string, string>,
  ): Promise<string> {
    // A seed left by a crashed attempt may be partial or stale: always write a fresh one.
    await this.deleteVol(pool, name);
    const iso = await buildSeedIso(files);
    const vol = await this.uploadBuffer(pool, name, iso);
    r.add(() => this.deleteVol(pool, name));
    return this.lv.storageVolGetPath(vol);
  }

  /** Starts a stopped instance; no-op when it runs. */
  async powerOn(id: string): Promise<void> {
    await this.locked(`inst:${id}`, () =>
      this.step(
        'power-on',
        async () => {
          const d = await this.domain(id);
          if ((await this.domainState(d)) !== 'running') await this.lv.domainCreate(d);
        },
        'START_FAILED',
      ),
    );
  }

  /**
   * Stops an instance: presses the ACPI power button and waits up to gracefulTimeoutMs for the guest
   * to power off, then pulls the plug. Resolves with `forced` telling which happened.
   */
  async powerOff(id: string, opts: PowerOffOptions = {}): Promise<{ forced: boolean }> {
    const timeout = opts.gracefulTimeoutMs ?? 60_000;
    return this.locked(`inst:${id}`, () =>
      this.step('power-off', async () => {
        const d = await this.domain(id);
        if ((await this.domainState(d)) === 'stopped') return { forced: false };
        if (timeout > 0) {
          await this.lv.domainShutdownFlags(d, DomainShutdownFlags.ACPI_POWER_BTN).catch(() => undefined);
          const until = Date.now() + timeout;
          while (Date.now() < until) {
            if ((await this.domainState(d)) === 'stopped') return { forced: false };
            await sleep(200);
          }
        }
        await this.lv.domainDestroy(d).catch((err) => {
          if (!isNotFound(err)) throw err;
        });
        return { forced: true };
      }),
    );
  }

  /** Asks the guest to reboot (ACPI); the domain keeps running. */
  async reboot(id: string): Promise<void> {
    await this.locked(`inst:${id}`, () =>
      this.step('reboot', async () => {
        const d = await this.domain(id);
        if ((await this.domainState(d)) !== 'running')
          throw new HypervisorError('INVALID_STATE', `instance ${id} is not running`);
        await this.lv.domainReboot(d, DomainShutdownFlags.ACPI_POWER_BTN);
      }),
    );
  }

  private async requireStopped(d: Domain, id: string, op: string): Promise<void> {
    if ((await this.domainState(d)) !== 'stopped')
      throw new HypervisorError('INVALID_STATE', `${op} needs instance ${id} stopped`, op);
  }

  /** Changes vCPUs and memory (and the nested flag) of a stopped instance. */
  async resize(id: string, type: InstanceType): Promise<void> {
    await this.locked(`inst:${id}`, () =>
      this.step(
        'resize',
        async () => {
          const d = await this.domain(id);
          await this.requireStopped(d, id, 'resize');
          const cfg = await this.config(d);
          cfg.vcpus = type.vcpus;
          cfg.memoryKiB = type.memoryMiB * 1024;
          const cpu = designCpu(this.profile, type.nested === true);
          if (cpu) cfg.cpu = cpu;
          else delete cfg.cpu;
          await this.lv.domainDefineXml(domainToXml(cfg));
        },
        'DEFINE_FAILED',
      ),
    );
  }

  /**
   * Gives a stopped instance a fresh root disk from `spec.image` (same size) and a fresh seed, keeping
   * its identity: domain, MAC, IP and instance id. The new volumes are created beside the old ones
   * and the old ones are deleted only after the domain points at the new ones.
   */
  async rebuild(id: string, spec: InstanceSpec): Promise<void> {
    if (spec.id !== id)
      throw new HypervisorError('INVALID_ARGUMENT', 'rebuild cannot change the instance id');
    await this.locked(`inst:${id}`, async () => {
      let seedFiles: ReturnType<typeof buildSeedFiles>;
      try {
        validateManifest(spec.image);
        seedFiles = buildSeedFiles(spec);
      } catch (err) {
        throw new HypervisorError('INVALID_ARGUMENT', (err as Error).message, 'validate');
      }
      const d = await this.step('lookup', () => this.domain(id));
      await this.requireStopped(d, id, 'rebuild');
      const old = await this.step('read-config', () => this.config(d));
      const meta = old.metadata;
      if (!meta) throw new HypervisorError('INVALID_STATE', `instance ${id} has no Kumo metadata`);
      if (meta.mac !== spec.nic.mac || meta.ip !== spec.nic.ip || meta.network !== spec.nic.network)
        throw new HypervisorError(
          'INVALID_ARGUMENT',
          'rebuild keeps the network identity (MAC, IP, network)',
        );
      const pool = await this.step('lookup-pool', () => this.pool());
      const image = await this.step(
        'lookup-image',
        () => this.imagePaths(pool, spec.image),
        'IMAGE_NOT_FOUND',
      );
      const gen = Date.now().toString(36);
      const rootName = this.names.rootVolume(id, gen);
      const seedName = this.names.seedVolume(id, gen);
      const r = new Reverter();
      try {
        const oldRoot = await this.vol(pool, meta.rootVolume);
        const size = oldRoot
          ? Number((await this.lv.storageVolGetInfo(oldRoot)).capacity)
          : spec.rootDiskBytes;
        const rootPath = await this.step('create-overlay', () =>
          this.createOverlay(pool, r, rootName, image.root, size),
        );
        const seedPath = await this.step('upload-seed', () => this.uploadSeed(pool, r, seedName, seedFiles));
        const cfg = structuredClone(old);
        const root = cfg.disks.find((x) => x.target === 'vda');
        const seed = cfg.disks.find((x) => x.target === 'vdb');
        if (!root || !seed) throw new HypervisorError('INVALID_STATE', `instance ${id} lacks its disks`);
        root.path = rootPath;
        seed.path = seedPath;
        cfg.metadata = { ...meta, image: spec.image.name, rootVolume: rootName, seedVolume: seedName };
        if (spec.image.boot.mode === 'direct') {
          if (!image.kernel) throw new HypervisorError('IMAGE_NOT_FOUND', 'image lacks its kernel');
          cfg.os.kernel = image.kernel;
          if (image.initrd) cfg.os.initrd = image.initrd;
          else delete cfg.os.initrd;
          cfg.os.cmdline = spec.image.boot.cmdline;
          cfg.os.bootDevices = [];
        } else {
          delete cfg.os.kernel;
          delete cfg.os.initrd;
          delete cfg.os.cmdline;
          cfg.os.bootDevices = ['hd'];
        }
        await this.step('define', () => this.lv.domainDefineXml(domainToXml(cfg)), 'DEFINE_FAILED');
        r.add(async () => {
          await this.lv.domainDefineXml(domainToXml(old));
        });
        await this.step('delete-old-volumes', async () => {
          await this.deleteVol(pool, meta.rootVolume);
          await this.deleteVol(pool, meta.seedVolume);
        });
        r.success();
      } finally {
        await r.fail();
      }
    });
  }

  /**
   * Removes an instance: stops it, undefines the domain, deletes its overlay and seed (unless
   * keepVolumes) and its DHCP reservation. Idempotent: whatever is already gone is skipped.
   */
  async destroy(id: string, opts: { keepVolumes?: boolean } = {}): Promise<void> {
    await this.locked(`inst:${id}`, () =>
      this.step('destroy', async () => {
        const d = await this.lookupDomain(id);
        if (d) {
          if ((await this.domainState(d)) !== 'stopped')
            await this.lv.domainDestroy(d).catch(() => undefined);
          await this.lv.domainUndefine(d).catch((err) => {
            if (!isNotFound(err)) throw err;
          });
        }
        if (!opts.keepVolumes) {
          const pool = await this.pool();
          const prefix = this.names.instanceVolumePrefix(id);
          for (const v of await this.lv.storagePoolListAllVolumes(pool))
            if (v.name.startsWith(prefix)) await this.deleteVol(pool, v.name);
        }
        await this.unreserveAll(id);
      }),
    );
  }

  /** The power state of an instance, `absent` when the host has no such domain. */
  async state(id: string): Promise<PowerState> {
    return this.step('state', async () => {
      const d = await this.lookupDomain(id);
      return d ? this.domainState(d) : 'absent';
    });
  }

  /** Every Kumo instance defined on this host with its power state. */
  async list(): Promise<InstanceSummary[]> {
    return this.step('list', async () => {
      const out: InstanceSummary[] = [];
      for (const d of await this.lv.connectListAllDomains(0)) {
        const id = this.names.instanceId(d.name);
        if (id === undefined) continue;
        out.push({ id, state: await this.domainState(d).catch(() => 'absent' as const) });
      }
      return out.sort((a, b) => a.id.localeCompare(b.id));
    });
  }

  /** A feed of lifecycle events of this host's Kumo instances. */
  async events(): Promise<EventFeed> {
    const sub = await this.step('events', () => this.lv.domainEventLifecycle());
    const names = this.names;
    const kinds: Record<number, InstanceEvent['kind']> = {
      [DomainEventType.DEFINED]: 'defined',
      [DomainEventType.UNDEFINED]: 'undefined',
      [DomainEventType.STARTED]: 'started',
      [DomainEventType.STOPPED]: 'stopped',
      [DomainEventType.SHUTDOWN]: 'shutdown',
      [DomainEventType.SUSPENDED]: 'suspended',
      [DomainEventType.RESUMED]: 'resumed',
      [DomainEventType.CRASHED]: 'crashed',
    };
    return {
      close: () => sub.close(),
      async *[Symbol.asyncIterator]() {
        for await (const ev of sub) {
          const id = names.instanceId(ev.dom.name);
          if (id === undefined) continue;
          // STOPPED detail 0 is "shutdown" (the guest powered off); SHUTDOWN events are the guest's own.
          const byGuest =
            ev.event === DomainEventType.SHUTDOWN ||
            (ev.event === DomainEventType.STOPPED && ev.detail === 0);
          yield { id, kind: kinds[ev.event] ?? 'other', byGuest };
        }
      },
    };
  }
}
