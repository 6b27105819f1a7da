// The `local` backend: a libvirt dir pool on each host of the AZ; a disk is a qcow2 volume on one
// host, a snapshot a full qcow2 copy beside it (taken while no guest runs the disk: QEMU's image
// lock keeps libvirt from copying it under a running guest), a disk from a snapshot a copy of that
// copy grown to its size. A disk moves to another host as its file's bytes over two libvirt
// streams (download from one host, upload to the other), read back and compared before the source
// goes. A pool directory the hosts share (one file seen from both) is recognised and left as is.
// libvirt only.
import { createHash, randomBytes } from 'node:crypto';
import {
  StoragePoolState,
  isNotFound,
  type LibvirtClient,
  type StoragePool,
  type StorageVol,
} from '@kumo/libvirt';
import type { Attachment, DiskBackend, StorageHost, VolumeOrigin } from './backend.js';
import { attachDisk, detachDisk, growAttached, isRunning } from './domain-disks.js';
import { StorageError } from './errors.js';
import { HostConnections } from './hosts.js';
import { checkId } from './ids.js';

/** Settings of one local backend. */
export interface LocalOptions {
  /** The libvirt pool's name on every host. */
  poolName: string;
  /** The pool's directory on every host. */
  path: string;
}

const volName = (id: string) => `${checkId(id)}.qcow2`;
/** An empty file a move uploads a volume's bytes into (libvirt reads it as qcow2 once refreshed). */
const emptyXml = (name: string) =>
  `<volume><name>${name}</name><capacity unit='bytes'>0</capacity>` +
  `<target><format type='raw'/><permissions><mode>0644</mode></permissions></target></volume>`;
const qcow2Xml = (name: string, bytes: number) =>
  `<volume><name>${name}</name><capacity unit='bytes'>${bytes}</capacity>` +
  `<target><format type='qcow2'/><permissions><mode>0644</mode></permissions></target></volume>`;

/**
 * Hashes a stream's bytes; with `sink`, hands them on to it as they pass (one read, no buffering
 * beyond the stream's own chunks).
 */
async function sha256Of(
  source: Promise<AsyncIterable<Uint8Array>>,
  sink?: (bytes: AsyncIterable<Uint8Array>) => Promise<void>,
): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  async function* tap() {
    for await (const chunk of await source) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  }
  if (sink) await sink(tap());
  else for await (const _ of tap());
  return { hex: hash.digest('hex'), bytes };
}

/** A dir pool per host. */
export class LocalBackend implements DiskBackend {
  readonly kind = 'local' as const;
  readonly shared = false;
  private readonly hosts = new HostConnections();

  constructor(private readonly opts: LocalOptions) {
    checkId(opts.poolName);
    if (!/^\/[A-Za-z0-9._/-]+$/.test(opts.path))
      throw new StorageError('INVALID_ARGUMENT', `bad pool path ${opts.path}`);
  }

  async prepareHost(host: StorageHost): Promise<void> {
    await this.hosts.with(host, async (lv) => {
      let pool: StoragePool;
      try {
        pool = await lv.storagePoolLookupByName(this.opts.poolName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        pool = await lv.storagePoolDefineXml(
          `<pool type='dir'><name>${this.opts.poolName}</name><target><path>${this.opts.path}</path>` +
            `<permissions><mode>0755</mode></permissions></target></pool>`,
        );
      }
      if ((await lv.storagePoolGetInfo(pool)).state !== StoragePoolState.RUNNING) {
        await lv.storagePoolBuild(pool).catch(() => undefined);
        await lv.storagePoolCreate(pool);
      }
      await lv.storagePoolSetAutostart(pool, true);
    });
  }

  async releaseHost(host: StorageHost): Promise<void> {
    await this.hosts.with(host, async (lv) => {
      const pool = await this.pool(lv).catch(() => undefined);
      if (!pool) return;
      await lv.storagePoolDestroy(pool).catch(() => undefined);
      await lv.storagePoolUndefine(pool);
    });
  }

  async ensureVolume(
    diskId: string,
    sizeBytes: number,
    host: StorageHost,
    from?: VolumeOrigin,
  ): Promise<void> {
    if (from && 'image' in from)
      throw new StorageError(
        'INVALID_ARGUMENT',
        'local disks are not made from images (roots are host overlays)',
      );
    await this.hosts.with(host, async (lv) => {
      const pool = await this.pool(lv);
      if (!from) {
        if (await this.vol(lv, pool, diskId)) return;
        await lv.storageVolCreateXml(pool, qcow2Xml(volName(diskId), sizeBytes));
        return;
      }
      const snap = await this.vol(lv, pool, from.snapshotId);
      if (!snap)
        throw new StorageError('NOT_FOUND', `snapshot ${from.snapshotId} has no volume on ${host.id}`);
      // A copy a crash interrupted may be partial: a re-run always copies again.
      await this.deleteVol(lv, pool, diskId);
      const vol = await lv.storageVolCreateXmlFrom(pool, qcow2Xml(volName(diskId), sizeBytes), snap);
      if (Number((await lv.storageVolGetInfo(vol)).capacity) < sizeBytes)
        await lv.storageVolResize(vol, sizeBytes);
    });
  }

  async volumeSize(diskId: string, host: StorageHost): Promise<number | undefined> {
    return this.hosts.with(host, async (lv) => {
      const v = await this.vol(lv, await this.pool(lv), diskId);
      return v ? Number((await lv.storageVolGetInfo(v)).capacity) : undefined;
    });
  }

  async growVolume(
    diskId: string,
    sizeBytes: number,
    host: StorageHost,
    attached?: Attachment,
  ): Promise<void> {
    await this.hosts.with(host, async (lv) => {
      const v = await this.requireVol(lv, await this.pool(lv), diskId);
      if (Number((await lv.storageVolGetInfo(v)).capacity) >= sizeBytes) return;
      // A running QEMU holds the image open: only it may grow the file under the guest.
      if (attached && (await growAttached(lv, attached.domain, diskId, sizeBytes))) return;
      await lv.storageVolResize(v, sizeBytes);
    });
  }

  async moveVolume(diskId: string, from: StorageHost, to: StorageHost): Promise<void> {
    if (from.id === to.id) return;
    await this.hosts.with(from, (src) =>
      this.hosts.with(to, async (dst) => {
        const srcPool = await this.pool(src);
        const dstPool = await this.pool(dst);
        const srcVol = await this.vol(src, srcPool, diskId);
        if (!srcVol) {
          // The source goes only after the copy was verified: a re-run of a finished move.
          if (await this.vol(dst, dstPool, diskId)) return;
          throw new StorageError('NOT_FOUND', `disk ${diskId} has no volume on ${from.id} or ${to.id}`);
        }
        // A directory both hosts share holds one file: it is on the other host already, and
        // copying onto itself would destroy it.
        if (await this.sharedBetween(src, srcPool, dst, dstPool)) return;
        // A copy a crash interrupted may be partial: always copy again.
        await this.deleteVol(dst, dstPool, diskId);
        const dstVol = await dst.storageVolCreateXml(dstPool, emptyXml(volName(diskId)));
        try {
          // The qcow2 file's bytes as they are (its unallocated clusters are not in the file).
          const sent = await sha256Of(src.storageVolDownload(srcVol), (bytes) =>
            dst.storageVolUpload(dstVol, bytes),
          );
          const back = await sha256Of(dst.storageVolDownload(dstVol));
          if (back.hex !== sent.hex || back.bytes !== sent.bytes)
            throw new StorageError(
              'FAILED',
              `the copy of disk ${diskId} on ${to.id} does not match its source (${back.bytes} of ${sent.bytes} bytes)`,
            );
          await dst.storagePoolRefresh(dstPool).catch(() => undefined);
        } catch (err) {
          await this.deleteVol(dst, dstPool, diskId).catch(() => undefined);
          throw err;
        }
        await this.deleteVol(src, srcPool, diskId);
      }),
    );
  }

  /** Whether a file made in the pool on one host shows in the pool on the other (one directory). */
  private async sharedBetween(
    src: LibvirtClient,
    srcPool: StoragePool,
    dst: LibvirtClient,
    dstPool: StoragePool,
  ): Promise<boolean> {
    const probe = `probe-${randomBytes(6).toString('hex')}`;
    const made = await src.storageVolCreateXml(srcPool, emptyXml(volName(probe)));
    try {
      await dst.storagePoolRefresh(dstPool);
      return (await this.vol(dst, dstPool, probe)) !== undefined;
    } finally {
      await src.storageVolDelete(made).catch(() => undefined);
      await dst.storagePoolRefresh(dstPool).catch(() => undefined);
    }
  }

  async removeVolume(diskId: string, host: StorageHost): Promise<void> {
    await this.hosts.with(host, async (lv) => this.deleteVol(lv, await this.pool(lv), diskId));
  }

  async ensureSnapshot(
    diskId: string,
    snapshotId: string,
    host: StorageHost,
    attached?: Attachment,
  ): Promise<void> {
    await this.hosts.with(host, async (lv) => {
      // A running QEMU holds a write lock on the image, so libvirt cannot copy it: local disks
      // are snapshotted while their instance is stopped (rbd snapshots a running guest's disk).
      if (attached && (await isRunning(lv, attached.domain)))
        throw new StorageError(
          'INVALID_ARGUMENT',
          `disk ${diskId} is attached to a running instance; stop it (or detach the disk) to snapshot a local disk`,
        );
      const pool = await this.pool(lv);
      const src = await this.requireVol(lv, pool, diskId);
      // Partial after a crash, or complete: copying again is always right (the step re-runs
      // only when it did not finish).
      await this.deleteVol(lv, pool, snapshotId);
      const size = Number((await lv.storageVolGetInfo(src)).capacity);
      await lv.storageVolCreateXmlFrom(pool, qcow2Xml(volName(snapshotId), size), src);
    });
  }

  async restoreSnapshot(diskId: string, snapshotId: string, host: StorageHost): Promise<void> {
    const size = await this.volumeSize(diskId, host);
    if (size === undefined) throw new StorageError('NOT_FOUND', `disk ${diskId} has no volume on ${host.id}`);
    await this.ensureVolume(diskId, size, host, { diskId, snapshotId });
  }

  async removeSnapshot(_diskId: string, snapshotId: string, host: StorageHost): Promise<void> {
    await this.hosts.with(host, async (lv) => this.deleteVol(lv, await this.pool(lv), snapshotId));
  }

  /** Local roots are flattened by their hosts; local data disks do not become images. */
  exportQcow2(): Promise<string> {
    return Promise.reject(new StorageError('INVALID_ARGUMENT', 'a local disk is exported by its host'));
  }

  /** A local volume lives on one host: nothing else can open it, and nothing is fenced. */
  fence(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** A local volume's path is its host's: definitions get it by attach. */
  deviceXml(): string {
    throw new StorageError(
      'INVALID_ARGUMENT',
      'a local disk is attached on its host, not defined with the domain',
    );
  }

  async attach(diskId: string, at: Attachment, deviceName?: string): Promise<string> {
    return this.hosts.with(at.host, async (lv) => {
      const v = await this.requireVol(lv, await this.pool(lv), diskId);
      const path = await lv.storageVolGetPath(v);
      return attachDisk(lv, at.domain, diskId, { kind: 'file', path, format: 'qcow2' }, deviceName);
    });
  }

  async detach(diskId: string, at: Attachment): Promise<void> {
    await this.hosts.with(at.host, (lv) => detachDisk(lv, at.domain, diskId));
  }

  async capacity(host: StorageHost): Promise<{ totalBytes: number; freeBytes: number }> {
    return this.hosts.with(host, async (lv) => {
      const info = await lv.storagePoolGetInfo(await this.pool(lv));
      return { totalBytes: Number(info.capacity), freeBytes: Number(info.available) };
    });
  }

  async listVolumes(host: StorageHost): Promise<string[]> {
    return this.hosts.with(host, async (lv) => {
      const pool = await this.pool(lv);
      await lv.storagePoolRefresh(pool).catch(() => undefined);
      return (await lv.storagePoolListAllVolumes(pool)).map((v) => v.name.replace(/\.qcow2$/, '')).sort();
    });
  }

  /** A local disk is its own file: no base is kept in the pool. */
  removeImageBase(): Promise<'absent'> {
    return Promise.resolve('absent');
  }

  listImageBases(): Promise<string[]> {
    return Promise.resolve([]);
  }

  close(): Promise<void> {
    return this.hosts.close();
  }

  private async pool(lv: LibvirtClient): Promise<StoragePool> {
    try {
      return await lv.storagePoolLookupByName(this.opts.poolName);
    } catch (err) {
      if (isNotFound(err)) throw new StorageError('NOT_FOUND', `pool ${this.opts.poolName} is not prepared`);
      throw err;
    }
  }

  private async vol(lv: LibvirtClient, pool: StoragePool, id: string): Promise<StorageVol | undefined> {
    try {
      return await lv.storageVolLookupByName(pool, volName(id));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async requireVol(lv: LibvirtClient, pool: StoragePool, id: string): Promise<StorageVol> {
    const v = await this.vol(lv, pool, id);
    if (!v) throw new StorageError('NOT_FOUND', `volume ${volName(id)} does not exist`);
    return v;
  }

  private async deleteVol(lv: LibvirtClient, pool: StoragePool, id: string): Promise<void> {
    const v = await this.vol(lv, pool, id);
    if (!v) return;
    await lv.storageVolDelete(v).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}
