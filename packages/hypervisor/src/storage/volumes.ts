// Volumes in the host's pool: look up, create (plain or as the designer's overlay), upload bytes
// through volume streams, read back, delete idempotently. Mechanics only: what to create is decided
// by the designer and the image cache.
import { Readable } from 'node:stream';
import { isNotFound, type StoragePool, type StorageVol } from '@kumo/libvirt';
import type { HostContext } from '../context.js';
import type { Reverter } from '../reverter.js';
import { volumeToXml, type VolumeConfig } from '../xml/volume.js';

/** Volume operations on one host. */
export class Volumes {
  constructor(private readonly ctx: HostContext) {}

  /** The volume, or undefined when the pool has none of that name. */
  async lookup(pool: StoragePool, name: string): Promise<StorageVol | undefined> {
    try {
      return await this.ctx.lv.storageVolLookupByName(pool, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Deletes a volume; one that is already gone (or goes while we look) is fine. */
  async delete(pool: StoragePool, name: string): Promise<void> {
    const v = await this.lookup(pool, name);
    if (!v) return;
    try {
      await this.ctx.lv.storageVolDelete(v);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /**
   * Deletes every volume whose name starts with `prefix`, after a refresh: files libvirt did not
   * create itself (the serial console log virtlogd writes) are volumes only once it has looked.
   */
  async deleteByPrefix(pool: StoragePool, prefix: string): Promise<void> {
    await this.refresh(pool);
    for (const v of await this.ctx.lv.storagePoolListAllVolumes(pool))
      if (v.name.startsWith(prefix)) await this.delete(pool, v.name);
  }

  /** Deletes a file libvirt did not create (refreshing first, so it is a volume); gone is fine. */
  async deleteUnmanaged(pool: StoragePool, name: string): Promise<void> {
    await this.refresh(pool);
    await this.delete(pool, name);
  }

  /**
   * Refreshes the pool's volume list, best effort: libvirt refuses while an upload into the pool
   * runs, and then the list is merely older (the next refresh catches up).
   */
  async refresh(pool: StoragePool): Promise<void> {
    await this.ctx.lv.storagePoolRefresh(pool).catch(() => undefined);
  }

  /** Creates a volume from its config. */
  create(pool: StoragePool, cfg: VolumeConfig): Promise<StorageVol> {
    return this.ctx.lv.storageVolCreateXml(pool, volumeToXml(cfg));
  }

  /** Creates a raw volume of exactly `data`'s size and uploads `data` into it. */
  async uploadBuffer(pool: StoragePool, name: string, data: Buffer): Promise<StorageVol> {
    const vol = await this.create(pool, { name, capacityBytes: data.length, format: 'raw' });
    await this.ctx.lv.storageVolUpload(vol, Readable.from([data]));
    return vol;
  }

  /**
   * Creates `cfg` unless a volume of that name exists (left by a crashed attempt, which is reused),
   * registering its deletion with `r` only when it was created here; returns its path.
   */
  async ensure(pool: StoragePool, r: Reverter, cfg: VolumeConfig): Promise<string> {
    let vol = await this.lookup(pool, cfg.name);
    if (!vol) {
      vol = await this.create(pool, cfg);
      r.add(() => this.delete(pool, cfg.name));
    }
    return this.ctx.lv.storageVolGetPath(vol);
  }

  /**
   * Writes `data` as a fresh raw volume named `name` (replacing any old one, which after a crash may be
   * partial or stale), registering its deletion with `r`; returns its path.
   */
  async replace(pool: StoragePool, r: Reverter, name: string, data: Buffer): Promise<string> {
    await this.delete(pool, name);
    const vol = await this.uploadBuffer(pool, name, data);
    r.add(() => this.delete(pool, name));
    return this.ctx.lv.storageVolGetPath(vol);
  }

  /** The volume's path on the host. */
  path(vol: StorageVol): Promise<string> {
    return this.ctx.lv.storageVolGetPath(vol);
  }

  /** The volume's capacity in bytes, or undefined when there is no such volume. */
  async capacityBytes(pool: StoragePool, name: string): Promise<number | undefined> {
    const vol = await this.lookup(pool, name);
    return vol ? Number((await this.ctx.lv.storageVolGetInfo(vol)).capacity) : undefined;
  }
}
