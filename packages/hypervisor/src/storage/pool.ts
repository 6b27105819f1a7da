// The host's storage pool: define/build/start it as a directory pool, remove it, look it up, and
// check free space before a write. Knows nothing of images or instances.
import { StoragePoolState, isNotFound, type StoragePool } from '@kumo/libvirt';
import type { HostContext } from '../context.js';
import { HypervisorError } from '../errors.js';
import { dirPoolToXml } from '../xml/volume.js';

/** The configured pool of one host. */
export class Pool {
  constructor(private readonly ctx: HostContext) {}

  /** Defines, builds and starts the pool as a directory pool at `path`, if absent or inactive. */
  async ensureDir(path: string): Promise<void> {
    const { lv, poolName } = this.ctx;
    await this.ctx.step('ensure-pool', async () => {
      let pool: StoragePool;
      try {
        pool = await lv.storagePoolLookupByName(poolName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        pool = await lv.storagePoolDefineXml(dirPoolToXml({ name: poolName, path }));
        await lv.storagePoolBuild(pool);
      }
      const info = await lv.storagePoolGetInfo(pool);
      if (info.state !== StoragePoolState.RUNNING) {
        // An inactive pool's directory may have been removed since it was defined: build recreates it.
        await lv.storagePoolBuild(pool).catch(() => undefined);
        await lv.storagePoolCreate(pool);
      }
    });
  }

  /** Stops and undefines the pool; its directory and any files in it remain. */
  async remove(): Promise<void> {
    await this.ctx.step('remove-pool', async () => {
      const pool = await this.lookup();
      if (!pool) return;
      await this.ctx.lv.storagePoolDestroy(pool).catch(() => undefined);
      await this.ctx.lv.storagePoolUndefine(pool);
    });
  }

  /** The pool, or undefined when it is not defined. */
  async lookup(): Promise<StoragePool | undefined> {
    try {
      return await this.ctx.lv.storagePoolLookupByName(this.ctx.poolName);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The pool; NOT_FOUND when it is not defined. */
  async require(): Promise<StoragePool> {
    const p = await this.lookup();
    if (!p) throw new HypervisorError('NOT_FOUND', `storage pool ${this.ctx.poolName} is missing`);
    return p;
  }

  /**
   * Refuses (INSUFFICIENT_SPACE) when the pool has fewer than `bytes` free. Uses the figures as
   * libvirt last saw them (updated on every volume create and delete, and by a refresh); a refresh
   * re-reads every volume header, too slow for each spawn.
   */
  async requireSpace(pool: StoragePool, bytes: number, step: string): Promise<void> {
    await this.ctx.step(step, async () => {
      const info = await this.ctx.lv.storagePoolGetInfo(pool);
      if (Number(info.available) < bytes)
        throw new HypervisorError(
          'INSUFFICIENT_SPACE',
          `pool ${this.ctx.poolName} has ${info.available} bytes free, ${bytes} needed`,
        );
    });
  }
}
