// The `rbd` backend: one Ceph pool reached from every host of the AZ. Hosts get a libvirt secret
// with the cephx key and a libvirt rbd pool (so `virsh vol-list` shows the disks and capacity
// comes from Ceph); guests open images over the network with that secret. Image work (create,
// clone, resize, snapshots) runs through the `rbd` command from the control plane, as Cinder does
// through librbd: snapshots are rbd snapshots (atomic, crash-consistent even while attached), and
// a disk from a snapshot is a copy-on-write clone, flat in time whatever its size.
import { SecretUsageType, StoragePoolState, isNotFound, type LibvirtClient } from '@kumo/libvirt';
import { diskDeviceXml, type DiskSource } from './disk-xml.js';
import { attachDisk, detachDisk, growAttached } from './domain-disks.js';
import { StorageError, isStorageError } from './errors.js';
import { HostConnections } from './hosts.js';
import { checkId } from './ids.js';
import { RbdCli, type CephAccess } from './rbd-cli.js';
import { join } from 'node:path';
import { ensureBase, exportQcow2, isImageName, listBases, removeBase } from './rbd-images.js';
import type { Attachment, DiskBackend, StorageHost, VolumeOrigin } from './backend.js';

/** Settings of one rbd backend. */
export interface RbdOptions extends CephAccess {
  /** The libvirt pool's name on every host; also the usage name of the cephx secret. */
  poolName: string;
  /** The Ceph pool holding the images. */
  cephPool: string;
  /** Told each named step reached (`image-imported`: a base's bytes are in the pool, not yet renamed). */
  onStep?: (step: string) => void;
}

const MiB = 1 << 20;
/** How long a fenced client stays blocklisted. */
const BLOCKLIST_SECONDS = 30 * 24 * 3600;

interface RbdSnap {
  name: string;
  protected: string | boolean;
}

/** A Ceph pool shared by the AZ. */
export class RbdBackend implements DiskBackend {
  readonly kind = 'rbd' as const;
  readonly shared = true;
  private readonly hosts = new HostConnections();
  private readonly rbd: RbdCli;

  constructor(private readonly opts: RbdOptions) {
    checkId(opts.poolName);
    checkId(opts.cephPool);
    for (const m of opts.monitors)
      if (!/^[A-Za-z0-9.:-]+$/.test(m.host) || !Number.isInteger(m.port))
        throw new StorageError('INVALID_ARGUMENT', `bad monitor ${m.host}:${m.port}`);
    this.rbd = new RbdCli(opts);
  }

  private img(id: string): string {
    return `${this.opts.cephPool}/${checkId(id)}`;
  }

  async prepareHost(host: StorageHost): Promise<void> {
    const { poolName, cephPool, user, monitors, key } = this.opts;
    await this.hosts.with(host, async (lv) => {
      let secret;
      try {
        secret = await lv.secretLookupByUsage(SecretUsageType.CEPH, poolName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        secret = await lv.secretDefineXml(
          `<secret ephemeral='no' private='yes'><usage type='ceph'><name>${poolName}</name></usage></secret>`,
        );
      }
      // Set every time: an admin who rotated the key re-prepares the hosts.
      await lv.secretSetValue(secret, Buffer.from(key, 'base64'));
      let pool;
      try {
        pool = await lv.storagePoolLookupByName(poolName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const hostsXml = monitors.map((m) => `<host name='${m.host}' port='${m.port}'/>`).join('');
        pool = await lv.storagePoolDefineXml(
          `<pool type='rbd'><name>${poolName}</name><source><name>${cephPool}</name>${hostsXml}` +
            `<auth username='${user}' type='ceph'><secret usage='${poolName}'/></auth></source></pool>`,
        );
      }
      if ((await lv.storagePoolGetInfo(pool)).state !== StoragePoolState.RUNNING)
        await lv.storagePoolCreate(pool);
      await lv.storagePoolSetAutostart(pool, true);
    });
  }

  async releaseHost(host: StorageHost): Promise<void> {
    await this.hosts.with(host, async (lv) => {
      const pool = await lv.storagePoolLookupByName(this.opts.poolName).catch(() => undefined);
      if (pool) {
        await lv.storagePoolDestroy(pool).catch(() => undefined);
        await lv.storagePoolUndefine(pool);
      }
      const secret = await lv
        .secretLookupByUsage(SecretUsageType.CEPH, this.opts.poolName)
        .catch(() => undefined);
      if (secret) await lv.secretUndefine(secret);
    });
  }

  async ensureVolume(
    diskId: string,
    sizeBytes: number,
    _host: StorageHost,
    from?: VolumeOrigin,
  ): Promise<void> {
    const size = await this.volumeSize(diskId);
    if (size === undefined) {
      if (from && 'image' in from) {
        const base = await ensureBase(this.rbd, this.opts.cephPool, from.image, this.opts.onStep);
        await this.rbd.run(['clone', base, this.img(diskId)]);
      } else if (from)
        await this.rbd.run([
          'clone',
          `${this.img(from.diskId)}@${checkId(from.snapshotId)}`,
          this.img(diskId),
        ]);
      else await this.rbd.run(['create', '--size', `${Math.ceil(sizeBytes / MiB)}M`, this.img(diskId)]);
    }
    if (from) await this.resize(diskId, sizeBytes);
  }

  async volumeSize(diskId: string): Promise<number | undefined> {
    try {
      return (await this.rbd.json<{ size: number }>(['info', this.img(diskId)])).size;
    } catch (err) {
      if (isStorageError(err, 'NOT_FOUND')) return undefined;
      throw err;
    }
  }

  async growVolume(
    diskId: string,
    sizeBytes: number,
    _host: StorageHost,
    attached?: Attachment,
  ): Promise<void> {
    const size = await this.volumeSize(diskId);
    if (size === undefined) throw new StorageError('NOT_FOUND', `image ${this.img(diskId)} does not exist`);
    if (size >= sizeBytes) return;
    // Through QEMU when a guest runs it, so the guest is told of the new size at once.
    if (attached) {
      const grown = await this.hosts.with(attached.host, (lv) =>
        growAttached(lv, attached.domain, diskId, sizeBytes),
      );
      if (grown) return;
    }
    await this.resize(diskId, sizeBytes);
  }

  private async resize(diskId: string, sizeBytes: number): Promise<void> {
    const size = await this.volumeSize(diskId);
    if (size !== undefined && size < sizeBytes)
      await this.rbd.run(['resize', '--size', `${Math.ceil(sizeBytes / MiB)}M`, this.img(diskId)]);
  }

  /** Every host of the AZ opens the same image: nothing to move. */
  async moveVolume(): Promise<void> {
    return Promise.resolve();
  }

  async removeVolume(diskId: string): Promise<void> {
    try {
      await this.rbd.run(['rm', '--no-progress', this.img(diskId)]);
    } catch (err) {
      if (!isStorageError(err, 'NOT_FOUND')) throw err;
    }
  }

  private async snaps(diskId: string): Promise<RbdSnap[]> {
    return this.rbd.json<RbdSnap[]>(['snap', 'ls', this.img(diskId)]);
  }

  async ensureSnapshot(diskId: string, snapshotId: string): Promise<void> {
    const name = `${this.img(diskId)}@${checkId(snapshotId)}`;
    let snap = (await this.snaps(diskId)).find((s) => s.name === snapshotId);
    if (!snap) {
      await this.rbd.run(['snap', 'create', '--no-progress', name]);
      snap = { name: snapshotId, protected: false };
    }
    // Protected, so disks can be cloned from it (clone format 1 needs it; 2 accepts it).
    if (String(snap.protected) !== 'true') await this.rbd.run(['snap', 'protect', name]);
  }

  async restoreSnapshot(diskId: string, snapshotId: string): Promise<void> {
    await this.rbd.run(['snap', 'rollback', '--no-progress', `${this.img(diskId)}@${checkId(snapshotId)}`]);
  }

  async removeSnapshot(diskId: string, snapshotId: string): Promise<void> {
    let snap;
    try {
      snap = (await this.snaps(diskId)).find((s) => s.name === snapshotId);
    } catch (err) {
      if (isStorageError(err, 'NOT_FOUND')) return;
      throw err;
    }
    if (!snap) return;
    const name = `${this.img(diskId)}@${checkId(snapshotId)}`;
    if (String(snap.protected) === 'true') {
      const children = await this.rbd.json<unknown[]>(['children', name]);
      if (children.length > 0)
        throw new StorageError(
          'HAS_DEPENDENTS',
          `snapshot ${snapshotId} has ${children.length} disk(s) cloned from it`,
        );
      await this.rbd.run(['snap', 'unprotect', name]);
    }
    await this.rbd.run(['snap', 'rm', '--no-progress', name]);
  }

  private source(diskId: string): DiskSource {
    const { monitors, user, poolName } = this.opts;
    return { kind: 'rbd', image: this.img(diskId), monitors, user, secretUsage: poolName };
  }

  async exportQcow2(diskId: string, dir: string): Promise<string> {
    return exportQcow2(this.rbd, this.img(diskId), join(dir, `${checkId(diskId)}.qcow2`));
  }

  async fence(diskId: string): Promise<string[]> {
    const status = await this.rbd.json<{ watchers?: { address?: string }[] }>(['status', this.img(diskId)]);
    const fenced: string[] = [];
    for (const w of status.watchers ?? []) {
      // An entity address, `v2:10.0.0.5:0/3485766` or without the protocol: checked, as it reaches argv.
      const addr = (w.address ?? '').replace(/^v[12]:/, '');
      if (!/^[0-9A-Fa-f.:[\]]+\/\d+$/.test(addr))
        throw new StorageError('FAILED', `unexpected watcher ${w.address}`);
      // For 30 days, not the cluster's default hour: a host may stay cut off (its QEMU alive) far
      // longer than an hour, and the entry must outlast it; the reconciler destroys that QEMU as
      // soon as the host answers again.
      await this.rbd.ceph(['osd', 'blocklist', 'add', addr, String(BLOCKLIST_SECONDS)]);
      fenced.push(addr);
    }
    return fenced;
  }

  deviceXml(diskId: string, target: string): string {
    return diskDeviceXml({ serial: checkId(diskId), target, source: this.source(diskId) });
  }

  async attach(diskId: string, at: Attachment, deviceName?: string): Promise<string> {
    if ((await this.volumeSize(diskId)) === undefined)
      throw new StorageError('NOT_FOUND', `image ${this.img(diskId)} does not exist`);
    return this.hosts.with(at.host, (lv) =>
      attachDisk(lv, at.domain, diskId, this.source(diskId), deviceName),
    );
  }

  async detach(diskId: string, at: Attachment): Promise<void> {
    await this.hosts.with(at.host, (lv) => detachDisk(lv, at.domain, diskId));
  }

  async capacity(host: StorageHost): Promise<{ totalBytes: number; freeBytes: number }> {
    return this.hosts.with(host, async (lv: LibvirtClient) => {
      const pool = await lv.storagePoolLookupByName(this.opts.poolName);
      // libvirt reads Ceph's pool statistics on refresh.
      await lv.storagePoolRefresh(pool).catch(() => undefined);
      const info = await lv.storagePoolGetInfo(pool);
      return { totalBytes: Number(info.capacity), freeBytes: Number(info.available) };
    });
  }

  async listVolumes(): Promise<string[]> {
    // Image bases (and imports a crash left) are the pool's, not disks.
    return (await this.rbd.json<string[]>(['ls', this.opts.cephPool])).filter((n) => !isImageName(n)).sort();
  }

  removeImageBase(key: string): Promise<'removed' | 'in-use' | 'absent'> {
    return removeBase(this.rbd, this.opts.cephPool, key);
  }

  listImageBases(): Promise<string[]> {
    return listBases(this.rbd, this.opts.cephPool);
  }

  async close(): Promise<void> {
    this.rbd.close();
    await this.hosts.close();
  }
}
