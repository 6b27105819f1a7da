// Creating an instance's disks and domain on one host: spawn (overlay, seed, define, start, DHCP
// reservation) and rebuild (new overlay and seed under the same domain). Every step registers its
// undo and first checks what exists, so a failure leaves the host as before and a re-run after a
// crash converges. What the domain looks like is the designer's; this module only applies it.
import { dirname, join } from 'node:path';
import type { HostContext } from '../context.js';
import {
  checkRootDisk,
  designDomain,
  designRebuild,
  designRootVolume,
  rebuildIdentity,
  ROOT_DISK_TARGET,
  rebuildRootBytes,
  type HostProfile,
} from '../designer.js';
import { HypervisorError } from '../errors.js';
import type { ImageCache } from '../image-cache.js';
import { validateManifest } from '../image.js';
import type { Networks } from '../networks.js';
import { Reverter } from '../reverter.js';
import { buildSeedFiles, type SeedFiles } from '../seed/cloudinit.js';
import { buildSeedIso } from '../seed/iso.js';
import type { InstanceSpec, SpawnOptions } from '../spec.js';
import type { Pool } from '../storage/pool.js';
import type { Volumes } from '../storage/volumes.js';
import { child, parseXml, type XmlElement } from '../xml/tree.js';
import type { Domains } from './domains.js';

/** Host settings that provisioning needs beyond the profile. */
export interface ProvisionSettings {
  /** Thin-provisioning ratio: a spawn needs rootDiskBytes / diskOvercommit free in the pool. */
  diskOvercommit: number;
}

// Checks the spec's image manifest and builds its seed files before anything touches the host.
function seedFilesOf(spec: InstanceSpec): SeedFiles {
  try {
    validateManifest(spec.image);
    return buildSeedFiles(spec);
  } catch (err) {
    throw new HypervisorError('INVALID_ARGUMENT', (err as Error).message, 'validate');
  }
}

// The storage plane's device for a cloud root, checked to be one disk at the root's target.
function cloudRootDisk(xml: string): XmlElement {
  let e: XmlElement;
  try {
    e = parseXml(xml);
  } catch (err) {
    throw new HypervisorError(
      'INVALID_ARGUMENT',
      `cloud root disk XML: ${(err as Error).message}`,
      'validate',
    );
  }
  if (e.name !== 'disk' || child(e, 'target')?.attrs.dev !== ROOT_DISK_TARGET)
    throw new HypervisorError(
      'INVALID_ARGUMENT',
      `a cloud root is one <disk> at ${ROOT_DISK_TARGET}`,
      'validate',
    );
  return e;
}

/** Spawn and rebuild on one host. */
export class Provisioner {
  constructor(
    private readonly ctx: HostContext,
    private readonly profile: HostProfile,
    private readonly settings: ProvisionSettings,
    private readonly domains: Domains,
    private readonly pool: Pool,
    private readonly volumes: Volumes,
    private readonly images: ImageCache,
    private readonly networks: Networks,
  ) {}

  /**
   * Creates and starts an instance: address check, root overlay (O(1), backed by the image's base
   * volume), seed volume, domain definition, start, DHCP reservation.
   */
  async spawn(spec: InstanceSpec, opts: SpawnOptions = {}): Promise<void> {
    const { ctx, volumes, networks } = this;
    const start = opts.start ?? true;
    await ctx.locked(`inst:${spec.id}`, async () => {
      const seedFiles = seedFilesOf(spec);
      checkRootDisk(spec);
      const cloudRoot = spec.cloudRoot && cloudRootDisk(spec.cloudRoot.diskXml);
      const existing = await ctx.step('lookup', () => this.domains.lookup(spec.id));
      if (existing) {
        // Already defined (a re-run after a crash): only make sure it runs (if it should).
        if (start && (await this.domains.state(existing)) !== 'running')
          await ctx.step('start', () => ctx.lv.domainCreate(existing), 'START_FAILED');
        return;
      }
      const pool = await ctx.step('lookup-pool', () => this.pool.require());
      const image = await ctx.step(
        'lookup-image',
        () => this.images.paths(pool, spec.image),
        'IMAGE_NOT_FOUND',
      );
      // A cloud root takes nothing from the host's pool (its storage counted it).
      if (!spec.cloudRoot) {
        const needed = Math.ceil(spec.rootDiskBytes / this.settings.diskOvercommit);
        await this.pool.requireSpace(pool, needed, 'check-space');
      }
      const rootName = ctx.names.rootVolume(spec.id);
      const seedName = ctx.names.seedVolume(spec.id);
      const r = new Reverter();
      // A live DHCP reservation costs 1–2 s in libvirt (dnsmasq is reloaded) and holds the network,
      // which a domain start also needs. The guest uses its static network-config and needs the
      // reservation only as a DHCP fallback, so the address is checked first and reserved right after
      // the start, while the guest boots; spawn returns once it is in place.
      // On OVN the control plane owns the address (port security) and OVN serves DHCP.
      const libvirtNetwork = spec.nic.ovn === undefined;
      if (libvirtNetwork)
        await ctx.step('check-address', () =>
          networks.checkAddress(spec.nic.network, spec.nic.mac, spec.nic.ip),
        );
      try {
        const rootPath = spec.cloudRoot
          ? undefined
          : await ctx.step('create-overlay', () =>
              volumes.ensure(pool, r, designRootVolume(rootName, image.root, spec.rootDiskBytes)),
            );
        const seedPath = await ctx.step('upload-seed', async () =>
          volumes.replace(pool, r, seedName, await buildSeedIso(seedFiles)),
        );
        const cfg = designDomain(
          spec,
          this.profile,
          {
            domain: ctx.names.domain(spec.id),
            network: spec.nic.network,
            libvirtNetwork: ctx.names.network(spec.nic.network),
            rootVolume: rootName,
            seedVolume: seedName,
          },
          {
            ...(rootPath !== undefined ? { rootDisk: rootPath } : {}),
            ...(cloudRoot ? { cloudRoot } : {}),
            seed: seedPath,
            kernel: image.kernel,
            initrd: image.initrd,
            consoleLog: join(dirname(seedPath), ctx.names.consoleLog(spec.id)),
          },
        );
        // Undone last: virtlogd may have created the console log before a failed start.
        r.add(() => volumes.deleteUnmanaged(pool, ctx.names.consoleLog(spec.id)));
        const dom = await ctx.step('define', () => this.domains.define(cfg), 'DEFINE_FAILED');
        r.add(() => ctx.lv.domainUndefine(dom));
        if (!start) {
          r.success();
          return;
        }
        await ctx.step('start', () => ctx.lv.domainCreate(dom), 'START_FAILED');
        r.add(() => ctx.lv.domainDestroy(dom).catch(() => undefined));
        if (libvirtNetwork)
          await ctx.step('reserve-address', async () => {
            if (await networks.reserve(spec.nic.network, spec.id, spec.nic.mac, spec.nic.ip))
              r.add(() => networks.unreserveAll(spec.id));
          });
        r.success();
      } finally {
        await ctx.settle(r, 'spawn', { instanceId: spec.id });
      }
    });
  }

  /**
   * Gives a stopped instance a fresh root disk from `spec.image` and a fresh seed, keeping its
   * identity: domain, MAC, IP and instance id. The new volumes are created beside the old ones and
   * the old ones are deleted only after the domain points at the new ones.
   */
  async rebuild(id: string, spec: InstanceSpec): Promise<void> {
    if (spec.id !== id)
      throw new HypervisorError('INVALID_ARGUMENT', 'rebuild cannot change the instance id');
    const { ctx, volumes } = this;
    await ctx.locked(`inst:${id}`, async () => {
      const seedFiles = seedFilesOf(spec);
      const d = await ctx.step('lookup', () => this.domains.require(id));
      await this.domains.requireStopped(d, id, 'rebuild');
      const old = await ctx.step('read-config', () => this.domains.config(d));
      const meta = rebuildIdentity(old, spec);
      const pool = await ctx.step('lookup-pool', () => this.pool.require());
      const image = await ctx.step(
        'lookup-image',
        () => this.images.paths(pool, spec.image),
        'IMAGE_NOT_FOUND',
      );
      // A new generation suffix keeps the old volumes in place until the new definition is written.
      const gen = Date.now().toString(36);
      const rootName = ctx.names.rootVolume(id, gen);
      const seedName = ctx.names.seedVolume(id, gen);
      const r = new Reverter();
      try {
        // A cloud root was made again by its storage: the host keeps its device as it is.
        const rootPath = spec.cloudRoot
          ? undefined
          : await ctx.step('create-overlay', async () =>
              volumes.ensure(
                pool,
                r,
                designRootVolume(
                  rootName,
                  image.root,
                  rebuildRootBytes(await volumes.capacityBytes(pool, meta.rootVolume), spec),
                ),
              ),
            );
        const seedPath = await ctx.step('upload-seed', async () =>
          volumes.replace(pool, r, seedName, await buildSeedIso(seedFiles)),
        );
        const cfg = designRebuild(
          old,
          spec,
          { rootVolume: spec.cloudRoot ? meta.rootVolume : rootName, seedVolume: seedName },
          {
            ...(rootPath !== undefined ? { rootDisk: rootPath } : {}),
            seed: seedPath,
            kernel: image.kernel,
            initrd: image.initrd,
          },
        );
        await ctx.step('define', () => this.domains.define(cfg), 'DEFINE_FAILED');
        r.add(async () => {
          await this.domains.define(old);
        });
        await ctx.step('delete-old-volumes', async () => {
          if (!spec.cloudRoot) await volumes.delete(pool, meta.rootVolume);
          await volumes.delete(pool, meta.seedVolume);
        });
        r.success();
      } finally {
        await ctx.settle(r, 'rebuild', { instanceId: id });
      }
    });
  }

  /**
   * Writes a fresh seed from `spec` for a stopped instance, in place of its seed volume (same name
   * and path, so the definition stays as it is): new keys reach the guest at its next boot.
   * Idempotent; the network identity must be the instance's.
   */
  async reseed(id: string, spec: InstanceSpec): Promise<void> {
    if (spec.id !== id) throw new HypervisorError('INVALID_ARGUMENT', 'reseed cannot change the instance id');
    const { ctx, volumes } = this;
    await ctx.locked(`inst:${id}`, async () => {
      const seedFiles = seedFilesOf(spec);
      const d = await ctx.step('lookup', () => this.domains.require(id));
      await this.domains.requireStopped(d, id, 'reseed');
      const meta = rebuildIdentity(await ctx.step('read-config', () => this.domains.config(d)), spec);
      const pool = await ctx.step('lookup-pool', () => this.pool.require());
      const r = new Reverter();
      try {
        await ctx.step('upload-seed', async () =>
          volumes.replace(pool, r, meta.seedVolume, await buildSeedIso(seedFiles)),
        );
        r.success();
      } finally {
        await ctx.settle(r, 'reseed', { instanceId: id });
      }
    });
  }
}
