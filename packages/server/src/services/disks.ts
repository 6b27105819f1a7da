// JD's disk service: cloud disks and snapshots of an account. Policy only: sizes and types by
// JD's ranges, quotas, capacity of the AZ's backend, which status each operation starts from.
// Each mutation writes the row and its task in one statement or transaction (nothing touches a
// volume before that); the storage worker then drives it into the backend.
import { DISK_TYPES, Errors, NETWORK_NAME, NETWORK_NAME_RULE, type ApiError } from '@kumo/contract';
import {
  newId,
  type DiskFilter,
  type DiskRecord,
  type DisksModel,
  type Scope,
  type SnapshotFilter,
  type SnapshotRecord,
  type StorageBackendRecord,
  type StorageBackendsModel,
  type Transactions,
} from '@kumo/store';
import type { StorageRegistry } from '../compute/storage-registry.js';

/** What the disk service needs. */
export interface DiskServiceDeps {
  tx: Transactions;
  disks: DisksModel;
  backends: StorageBackendsModel;
  storage: StorageRegistry;
  quotas: { disk: number; snapshot: number };
  /** The image whose data disks are made from a snapshot, if any (deleteSnapshot refuses those). */
  imageNaming?(snapshotId: string): Promise<string | undefined>;
  /** Wakes the storage worker. */
  changed(): void;
}

/** createDisks' request, as the route parsed it. */
export interface CreateDisksRequest {
  az: string;
  name: string;
  description: string;
  diskType: string;
  diskSizeGB: number;
  snapshotId?: string;
  multiAttachable: boolean;
  maxCount: number;
  clientToken: string;
}

const GiB = 1 << 30;
const MAX_COUNT = 100;

export function checkName(field: string, name: string): void {
  if (!NETWORK_NAME.test(name)) throw Errors.invalidParameter(field, NETWORK_NAME_RULE);
}

export function checkSize(diskType: string, sizeGb: number): ApiError | undefined {
  const t = DISK_TYPES[diskType];
  if (!t) return Errors.invalidParameter('diskType', `one of ${Object.keys(DISK_TYPES).join(', ')}`);
  if (sizeGb < t.min || sizeGb > t.max || sizeGb % t.step !== 0)
    return Errors.diskSizeOutOfRange(diskType, t.min, t.max, t.step);
  return undefined;
}

/** Refuses (storageFull) when the disks already provisioned plus `gb` exceed the backend's capacity. */
export async function requireRoom(
  d: Pick<DiskServiceDeps, 'storage' | 'disks'>,
  rec: StorageBackendRecord,
  hostId: string | null,
  gb: number,
): Promise<void> {
  const hostRef = hostId ?? (await d.storage.hostsOf(rec))[0]?.id;
  // No host to ask yet (an rbd AZ before its first host): Ceph refuses writes when full.
  if (!hostRef) return;
  const host = await d.storage.host(rec, hostRef);
  if (!host) return;
  const cap = await d.storage.backend(rec).capacity(host);
  const used = await d.disks.provisionedGb(rec.id, hostId);
  if ((used + gb) * GiB > cap.totalBytes) throw Errors.storageFull(rec.az);
}

/** Disks and snapshots. */
export class DiskService {
  constructor(private readonly d: DiskServiceDeps) {}

  /** Creates maxCount disks (idempotent by clientToken: a repeat returns the first call's ids). */
  async createDisks(scope: Scope, req: CreateDisksRequest): Promise<{ diskIds: string[] }> {
    const { d } = this;
    checkName('diskSpec.name', req.name);
    const bad = checkSize(req.diskType, req.diskSizeGB);
    if (bad) throw bad;
    if (req.maxCount < 1 || req.maxCount > MAX_COUNT)
      throw Errors.invalidParameter('maxCount', `between 1 and ${MAX_COUNT}`);
    if (!req.clientToken) throw Errors.missingParameter('clientToken');
    const rec = await d.backends.forAz(scope.regionId, req.az);
    if (!rec) throw Errors.noStorageBackend(req.az);

    let from: SnapshotRecord | undefined;
    if (req.snapshotId) {
      from = await d.disks.findSnapshot(scope, req.snapshotId);
      if (!from) throw Errors.snapshotNotFound(req.snapshotId);
      if (from.status !== 'available') throw Errors.invalidSnapshotStatus(from.id, from.status);
      if (from.backendId !== rec.id)
        throw Errors.invalidParameter('snapshotId', `snapshot is not in AZ '${req.az}'`);
      if (req.diskSizeGB < from.sizeGb)
        throw Errors.invalidParameter('diskSizeGB', `at least the snapshot's ${from.sizeGb} GB`);
    }
    // A local disk lives on one host: the snapshot's, or the AZ's first usable host.
    let hostId: string | null = null;
    if (rec.kind === 'local') {
      hostId = from?.hostId ?? (await d.storage.hostsOf(rec))[0]?.id ?? null;
      if (!hostId) throw Errors.noStorageBackend(req.az);
    }
    await requireRoom(d, rec, hostId, req.diskSizeGB * req.maxCount);

    const ids = await d.tx.locked(`disks:create:${scope.accountId}`, async (trx) => {
      const earlier = await d.disks.disksByToken(trx, scope, req.clientToken);
      if (earlier.length > 0) return earlier.map((x) => x.id);
      if ((await d.disks.countDisks(scope)) + req.maxCount > d.quotas.disk)
        throw Errors.quotaExceeded('disk');
      const rows = Array.from({ length: req.maxCount }, () => ({
        id: newId('vol', 10),
        accountId: scope.accountId,
        regionId: scope.regionId,
        az: req.az,
        backendId: rec.id,
        hostId,
        name: req.name,
        description: req.description,
        diskType: req.diskType,
        sizeGb: req.diskSizeGB,
        status: 'creating',
        snapshotId: from?.id ?? null,
        multiAttachable: req.multiAttachable,
        clientToken: req.clientToken,
        task: 'create',
        taskArgs: from ? { from: { diskId: from.diskId, snapshotId: from.id } } : null,
      }));
      // In id order, the order a repeat of the request reads them back in (the same answer twice).
      rows.sort((x, y) => (x.id < y.id ? -1 : 1));
      await d.disks.insertDisks(trx, rows);
      return rows.map((r) => r.id);
    });
    d.changed();
    return { diskIds: ids };
  }

  async describeDisks(scope: Scope, f: DiskFilter, offset: number, limit: number) {
    return this.d.disks.listDisks(scope, f, offset, limit);
  }

  async describeDisk(scope: Scope, id: string): Promise<DiskRecord> {
    const disk = await this.d.disks.findDisk(scope, id);
    if (!disk) throw Errors.diskNotFound(id);
    return disk;
  }

  async modifyDisk(scope: Scope, id: string, patch: { name?: string; description?: string }): Promise<void> {
    if (patch.name !== undefined) checkName('name', patch.name);
    if (!(await this.d.disks.modify('disks', scope, id, patch))) throw Errors.diskNotFound(id);
  }

  /** Claims a task on a disk, or explains why not (missing, wrong status, a task in flight). */
  private async claimDisk(
    scope: Scope,
    id: string,
    task: string,
    status: string,
    from: string[],
    args?: Record<string, unknown>,
  ) {
    if (!(await this.d.disks.claim('disks', scope, id, { task, status, from, ...(args ? { args } : {}) }))) {
      const disk = await this.d.disks.findDisk(scope, id);
      if (!disk) throw Errors.diskNotFound(id);
      if (disk.task) throw Errors.conflictWithTask(disk.task);
      throw Errors.invalidDiskStatus(id, disk.status);
    }
    this.d.changed();
  }

  /** Deletes a detached disk without snapshots (JD keeps snapshots; Ceph clones need their parent). */
  async deleteDisk(scope: Scope, id: string): Promise<void> {
    const disk = await this.describeDisk(scope, id);
    if (disk.attachments.length > 0) throw Errors.invalidDiskStatus(id, 'in-use');
    if ((await this.d.disks.snapshotCount(id)) > 0) throw Errors.diskHasSnapshots(id);
    await this.claimDisk(scope, id, 'delete', 'deleting', [
      'available',
      'error_create',
      'error_delete',
      'error_restore',
      'error_extend',
    ]);
  }

  /** Grows a disk (never shrinks), within its type's range. */
  async extendDisk(scope: Scope, id: string, sizeGb: number): Promise<void> {
    const disk = await this.describeDisk(scope, id);
    if (sizeGb <= disk.sizeGb) throw Errors.diskShrink(disk.sizeGb);
    const bad = checkSize(disk.diskType, sizeGb);
    if (bad) throw bad;
    const rec = await this.d.backends.get(disk.backendId);
    if (rec) await requireRoom(this.d, rec, disk.hostId, sizeGb - disk.sizeGb);
    // An attached disk of a running guest grows online (the worker goes through QEMU).
    await this.claimDisk(scope, id, 'extend', 'extending', ['available', 'in-use'], { sizeGb });
  }

  /** Rolls a detached disk back to one of its snapshots. */
  async restoreDisk(scope: Scope, id: string, snapshotId: string): Promise<void> {
    const disk = await this.describeDisk(scope, id);
    const snap = await this.d.disks.findSnapshot(scope, snapshotId);
    if (!snap) throw Errors.snapshotNotFound(snapshotId);
    if (snap.diskId !== disk.id) throw Errors.snapshotOfOtherDisk(snapshotId, id);
    if (snap.status !== 'available') throw Errors.invalidSnapshotStatus(snapshotId, snap.status);
    await this.claimDisk(scope, id, 'restore', 'restoring', ['available'], { snapshotId });
  }

  /** Snapshots a disk (idempotent by clientToken). */
  async createSnapshot(
    scope: Scope,
    req: { diskId: string; name: string; description: string; clientToken: string },
  ): Promise<{ snapshotId: string }> {
    const { d } = this;
    checkName('snapshotSpec.name', req.name);
    if (!req.clientToken) throw Errors.missingParameter('clientToken');
    const id = await d.tx.locked(`snapshots:create:${scope.accountId}`, async (trx) => {
      const earlier = await d.disks.snapshotByToken(trx, scope, req.clientToken);
      if (earlier) return earlier.id;
      const disk = await d.disks.findDisk(scope, req.diskId, trx);
      if (!disk) throw Errors.diskNotFound(req.diskId);
      if (disk.task) throw Errors.conflictWithTask(disk.task);
      if (disk.status !== 'available' && disk.status !== 'in-use')
        throw Errors.invalidDiskStatus(disk.id, disk.status);
      if ((await d.disks.countSnapshots(scope)) + 1 > d.quotas.snapshot)
        throw Errors.quotaExceeded('snapshot');
      const snapshotId = newId('snapshot', 10);
      await d.disks.insertSnapshot(trx, {
        id: snapshotId,
        accountId: scope.accountId,
        regionId: scope.regionId,
        diskId: disk.id,
        backendId: disk.backendId,
        hostId: disk.hostId,
        name: req.name,
        description: req.description,
        sizeGb: disk.sizeGb,
        status: 'creating',
        clientToken: req.clientToken,
        task: 'create',
        taskArgs: null,
      });
      return snapshotId;
    });
    d.changed();
    return { snapshotId: id };
  }

  async describeSnapshots(scope: Scope, f: SnapshotFilter, offset: number, limit: number) {
    return this.d.disks.listSnapshots(scope, f, offset, limit);
  }

  async describeSnapshot(scope: Scope, id: string): Promise<SnapshotRecord> {
    const s = await this.d.disks.findSnapshot(scope, id);
    if (!s) throw Errors.snapshotNotFound(id);
    return s;
  }

  async modifySnapshot(
    scope: Scope,
    id: string,
    patch: { name?: string; description?: string },
  ): Promise<void> {
    if (patch.name !== undefined) checkName('name', patch.name);
    if (!(await this.d.disks.modify('snapshots', scope, id, patch))) throw Errors.snapshotNotFound(id);
  }

  /** Deletes a snapshot no disk was created from. */
  async deleteSnapshot(scope: Scope, id: string): Promise<void> {
    const s = await this.describeSnapshot(scope, id);
    if ((await this.d.disks.clonesOf(id)) > 0) throw Errors.snapshotHasDisks(id);
    const image = await this.d.imageNaming?.(id);
    if (image) throw Errors.snapshotInImage(id, image);
    const ok = await this.d.disks.claim('snapshots', scope, id, {
      task: 'delete',
      status: 'deleting',
      from: ['available', 'error_create', 'error_delete'],
    });
    if (!ok) {
      if (s.task) throw Errors.conflictWithTask(s.task);
      throw Errors.invalidSnapshotStatus(id, s.status);
    }
    this.d.changed();
  }

  /** disk describeQuota: `disk` or `snapshot`. */
  async describeQuota(
    scope: Scope,
    type: string,
  ): Promise<{ quota: { type: string; limit: number; used: number } }> {
    if (type === 'disk')
      return { quota: { type, limit: this.d.quotas.disk, used: await this.d.disks.countDisks(scope) } };
    if (type === 'snapshot')
      return {
        quota: { type, limit: this.d.quotas.snapshot, used: await this.d.disks.countSnapshots(scope) },
      };
    throw Errors.invalidParameter('type', 'disk or snapshot');
  }
}
