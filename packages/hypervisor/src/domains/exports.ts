// Root disk exports for createImage: a stopped instance's root overlay copied into a standalone
// qcow2 volume with its backing chain flattened (libvirt's create-from on a dir pool runs
// qemu-img convert), read back as a stream, then removed. The export volume is named after the
// instance, so destroying the instance removes a leftover export too. Mechanics only: whether
// and when to export is the control plane's decision.
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoragePool } from '@kumo/libvirt';
import type { HostContext } from '../context.js';
import { HypervisorError } from '../errors.js';
import type { Pool } from '../storage/pool.js';
import type { Volumes } from '../storage/volumes.js';
import { volumeToXml } from '../xml/volume.js';
import type { Domains } from './domains.js';

const TAG = /^[a-z0-9]{1,32}$/;
const BUSY_WAIT_MS = 10 * 60 * 1000;

/** Flattened copies of instances' root disks on one host. */
export class RootExports {
  constructor(
    private readonly ctx: HostContext,
    private readonly domains: Domains,
    private readonly pool: Pool,
    private readonly volumes: Volumes,
  ) {}

  private name(id: string, tag: string): string {
    if (!TAG.test(tag)) throw new HypervisorError('INVALID_ARGUMENT', 'export tag must be [a-z0-9]{1,32}');
    return this.ctx.names.exportVolume(id, tag);
  }

  /**
   * Writes a standalone copy of stopped instance `id`'s root disk as export `tag`, replacing any
   * copy a crashed attempt left (which may be partial). INVALID_STATE unless the instance is stopped.
   */
  async flatten(id: string, tag: string): Promise<void> {
    const { ctx, volumes } = this;
    const name = this.name(id, tag);
    await ctx.locked(`inst:${id}`, async () => {
      const d = await ctx.step('lookup', () => this.domains.require(id));
      await this.domains.requireStopped(d, id, 'flatten-root');
      const cfg = await ctx.step('read-config', () => this.domains.config(d));
      const rootName = cfg.metadata?.rootVolume;
      if (!rootName) throw new HypervisorError('INVALID_STATE', `instance ${id} has no Kumo metadata`);
      const pool = await ctx.step('lookup-pool', () => this.pool.require());
      const root = await volumes.lookup(pool, rootName);
      if (!root) throw new HypervisorError('NOT_FOUND', `instance ${id} has no root volume`);
      const info = await ctx.lv.storageVolGetInfo(root);
      // The copy holds at most what the overlay and its base hold; the overlay's size bounds that.
      await this.pool.requireSpace(pool, Number(info.capacity), 'export-space');
      await this.deleteWhenIdle(pool, name);
      await ctx.step('flatten-root', () =>
        ctx.lv.storageVolCreateXmlFrom(
          pool,
          volumeToXml({ name, capacityBytes: Number(info.capacity), format: 'qcow2' }),
          root,
        ),
      );
    });
  }

  // A copy libvirtd is still writing for a caller that died cannot be deleted until it is done.
  private async deleteWhenIdle(pool: StoragePool, name: string): Promise<void> {
    for (let waited = 0; ; waited += 2000) {
      try {
        return await this.volumes.delete(pool, name);
      } catch (err) {
        if (waited >= BUSY_WAIT_MS) throw err;
        await sleep(2000);
      }
    }
  }

  /** The bytes of export `tag` of instance `id` (a qcow2 file); NOT_FOUND when there is none. */
  async open(id: string, tag: string): Promise<Readable> {
    const pool = await this.pool.require();
    const vol = await this.volumes.lookup(pool, this.name(id, tag));
    if (!vol) throw new HypervisorError('NOT_FOUND', `instance ${id} has no export ${tag}`);
    return this.ctx.step('read-export', () => this.ctx.lv.storageVolDownload(vol));
  }

  /** Removes export `tag` of instance `id` (no-op when absent). */
  async remove(id: string, tag: string): Promise<void> {
    const pool = await this.pool.require();
    await this.volumes.delete(pool, this.name(id, tag));
  }
}
