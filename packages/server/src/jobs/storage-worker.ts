// Drives disk and snapshot tasks into the storage backends. The service writes the task on the
// row first (status shows it: creating, extending, restoring, deleting); a worker claims rows
// with a task under a lease (kumods sharing a database split the work; a killed kumod's claims
// lapse and another, or the restarted one, takes them), runs the task — every backend call is
// idempotent, so a re-run after a crash converges — and ends it with the status it leads to.
// Runs on a timer and whenever the service kicks it.
import type { DiskAttachmentsModel, DiskRecord, DisksModel, SnapshotRecord, StorageTable } from '@kumo/store';
import type { StorageRegistry } from '../compute/storage-registry.js';
import { removeUnnamedBases } from '../compute/image-bases.js';
import {
  isStorageError,
  type Attachment,
  type ImageOrigin,
  type StorageHost,
  type VolumeOrigin,
} from '../drivers/storage-backend.js';
import type { Logger } from '../logger.js';
import { WorkLoop } from './work-loop.js';

/** What the worker needs. */
export interface StorageWorkerDeps {
  disks: DisksModel;
  attachments: DiskAttachmentsModel;
  storage: StorageRegistry;
  owner: string;
  leaseSeconds: number;
  intervalMs: number;
  log: Logger;
  /** The host of an instance (attach and detach go to its domain there). */
  instanceHost(instanceId: string): Promise<string | null | undefined>;
  /** The libvirt domain name of an instance. */
  domainOf(instanceId: string): string;
  /** The root file of an image, for a cloud system disk made from it. */
  imageOrigin(imageId: string): Promise<ImageOrigin>;
  /** Whether an image names this content (its base in a shared backend is kept). */
  imageNamed(sha256: string): Promise<boolean>;
  /** Test hook (KUMO_TEST_CRASH_AT): the process dies like `kill -9` before this `<table>:<task>` runs. */
  crashAt?: string;
}

const GiB = 1 << 30;
const BATCH = 20;
/** Where a task that failed leaves its row. */
const FAILED: Record<string, string> = {
  create: 'error_create',
  extend: 'error_extend',
  restore: 'error_restore',
  delete: 'error_delete',
};

/** A host reference rbd calls accept (they reach Ceph, not a host). */
const NO_HOST: StorageHost = { id: '', uri: '' };

/** One process's storage worker. */
export class StorageWorker {
  private readonly loop: WorkLoop;

  constructor(private readonly d: StorageWorkerDeps) {
    this.loop = new WorkLoop({
      name: 'storage',
      intervalMs: d.intervalMs,
      maxPasses: 50,
      log: d.log,
      pass: () => this.pass(),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs a pass now (or right after the current one). */
  kick(): void {
    this.loop.kick();
  }

  /** Passes until one finds nothing to claim. */
  drain(): Promise<void> {
    return this.loop.drain();
  }

  private async pass(): Promise<number> {
    // Disks of deleted instances: detached, or deleted with autoDelete (then claimed below).
    await this.d.attachments.releaseOrphanAttachments();
    let n = 0;
    for (const table of ['disks', 'snapshots'] as const) {
      const ids = await this.d.disks.claimWork(table, this.d.owner, this.d.leaseSeconds, BATCH);
      n += ids.length;
      await Promise.all(ids.map((id) => this.leased(table, id)));
    }
    return n;
  }

  /** Runs one claimed task with its lease renewed meanwhile. */
  private async leased(table: StorageTable, id: string): Promise<void> {
    const { disks, owner, leaseSeconds, log } = this.d;
    const beat = setInterval(
      () => void disks.renew(table, id, owner, leaseSeconds).catch(() => undefined),
      Math.max(500, (leaseSeconds * 1000) / 3),
    );
    try {
      if (table === 'disks') {
        const disk = await disks.diskById(id);
        if (disk?.task) await this.runDisk(disk);
      } else {
        const snap = await disks.snapshotById(id);
        if (snap?.task) await this.runSnapshot(snap);
      }
    } catch (err) {
      const task = (table === 'disks' ? await disks.diskById(id) : await disks.snapshotById(id))?.task ?? '';
      if (isStorageError(err, 'UNAVAILABLE')) {
        // Left claimed: the lease lapses and the task is tried again.
        log.warn({ err, table, id, task }, 'storage unavailable; task will be retried');
      } else {
        log.error({ err, table, id, task }, 'storage task failed');
        const errorReason = `${task} failed: ${(err as Error).message}`.slice(0, 500);
        if (table === 'disks' && (task === 'attach' || task === 'detach')) {
          await this.undoAttachment(id, task, errorReason);
        } else {
          await disks.finish(table, id, owner, { status: FAILED[task] ?? 'error_create', errorReason });
        }
      }
    } finally {
      clearInterval(beat);
    }
  }

  /** A failed attach leaves the disk as it was before; a failed detach leaves it attached. */
  private async undoAttachment(id: string, task: string, errorReason: string): Promise<void> {
    const { disks, attachments, owner } = this.d;
    const disk = await disks.diskById(id);
    const instanceId = disk?.taskArgs?.instanceId as string | undefined;
    if (!disk || !instanceId) return;
    if (task === 'attach') await attachments.removeAttachment(id, instanceId);
    else await attachments.updateAttachment(id, instanceId, { status: 'attached' });
    const left = (await disks.diskById(id))?.attachments.length ?? 0;
    await disks.finish('disks', id, owner, { status: left > 0 ? 'in-use' : 'available', errorReason });
  }

  /** Where the disk is attached (its first attachment), as backends take it. */
  private async attachment(disk: DiskRecord, instanceId?: string): Promise<Attachment | undefined> {
    const id = instanceId ?? disk.attachments.find((a) => a.status === 'attached')?.instanceId;
    if (!id) return undefined;
    const hostId = await this.d.instanceHost(id);
    const found = await this.d.storage.byId(disk.backendId);
    if (!hostId || !found) return undefined;
    const host = await this.d.storage.host(found.rec, hostId);
    return host && { host, domain: this.d.domainOf(id) };
  }

  private async target(rec: { backendId: string; hostId: string | null }) {
    const found = await this.d.storage.byId(rec.backendId);
    if (!found) throw new Error(`storage backend ${rec.backendId} is gone`);
    const host = rec.hostId ? await this.d.storage.host(found.rec, rec.hostId) : NO_HOST;
    if (!host) throw new Error(`host ${rec.hostId} is gone`);
    return { backend: found.backend, host };
  }

  private point(p: string): void {
    if (this.d.crashAt === p) process.kill(process.pid, 'SIGKILL');
  }

  private async runDisk(disk: DiskRecord): Promise<void> {
    const { disks, attachments, owner } = this.d;
    const { backend, host } = await this.target(disk);
    const args = disk.taskArgs ?? {};
    const settled = disk.attachments.length > 0 ? 'in-use' : 'available';
    this.point(`disks:${disk.task}`);
    switch (disk.task) {
      case 'create': {
        // A cloud system disk is a clone of its image; a data disk is blank or from a snapshot.
        const from: VolumeOrigin | undefined =
          typeof args.imageId === 'string'
            ? { image: await this.d.imageOrigin(args.imageId) }
            : (args.from as { diskId: string; snapshotId: string } | undefined);
        await backend.ensureVolume(disk.id, disk.sizeGb * GiB, host, from);
        this.point('disks:create:after');
        await disks.finish('disks', disk.id, owner, { status: settled, errorReason: null });
        return;
      }
      case 'extend': {
        const size = args.sizeGb as number;
        await backend.growVolume(disk.id, size * GiB, host, await this.attachment(disk));
        await disks.finish('disks', disk.id, owner, { status: settled, sizeGb: size, errorReason: null });
        return;
      }
      case 'restore': {
        await backend.restoreSnapshot(disk.id, args.snapshotId as string, host);
        await disks.finish('disks', disk.id, owner, { status: settled, errorReason: null });
        return;
      }
      case 'attach': {
        const instanceId = args.instanceId as string;
        const at = await this.attachment(disk, instanceId);
        if (!at) throw new Error(`instance ${instanceId} has no host`);
        // A local disk on another host of the AZ moves to the instance's first (detached).
        if (disk.hostId && disk.hostId !== at.host.id) {
          await backend.moveVolume(disk.id, host, at.host);
          this.point('disks:move:copied');
          await disks.setHost(disk.id, at.host.id);
        }
        const wanted = disk.attachments.find((a) => a.instanceId === instanceId)?.deviceName ?? undefined;
        const target = await backend.attach(disk.id, at, wanted);
        this.point('disks:attach:after');
        await attachments.updateAttachment(disk.id, instanceId, { status: 'attached', deviceName: target });
        await disks.finish('disks', disk.id, owner, { status: 'in-use', errorReason: null });
        return;
      }
      case 'detach': {
        const instanceId = args.instanceId as string;
        const at = await this.attachment(disk, instanceId);
        // An instance without a host holds no device.
        if (at) await backend.detach(disk.id, at);
        this.point('disks:detach:after');
        await attachments.removeAttachment(disk.id, instanceId);
        const left = disk.attachments.filter((a) => a.instanceId !== instanceId).length;
        await disks.finish('disks', disk.id, owner, {
          status: left > 0 ? 'in-use' : 'available',
          errorReason: null,
        });
        return;
      }
      case 'delete': {
        await backend.removeVolume(disk.id, host);
        this.point('disks:delete:after');
        await disks.finishDelete('disks', disk.id, owner);
        // The last clone of a deleted image's base may be this disk.
        if (backend.shared)
          await removeUnnamedBases(backend, this.d.imageNamed, this.d.log).catch((err: unknown) =>
            this.d.log.warn({ err }, 'image bases not swept'),
          );
        return;
      }
      default:
        throw new Error(`unknown disk task ${disk.task}`);
    }
  }

  private async runSnapshot(snap: SnapshotRecord): Promise<void> {
    const { disks, owner } = this.d;
    const { backend, host } = await this.target(snap);
    this.point(`snapshots:${snap.task}`);
    if (snap.task === 'create') {
      const disk = await disks.diskById(snap.diskId);
      await backend.ensureSnapshot(snap.diskId, snap.id, host, disk && (await this.attachment(disk)));
      this.point('snapshots:create:after');
      await disks.finish('snapshots', snap.id, owner, { status: 'available', errorReason: null });
    } else if (snap.task === 'delete') {
      await backend.removeSnapshot(snap.diskId, snap.id, host);
      await disks.finishDelete('snapshots', snap.id, owner);
    } else {
      throw new Error(`unknown snapshot task ${snap.task}`);
    }
  }
}
