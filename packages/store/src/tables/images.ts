// images: the image registry (public images of a region, private ones per account, and those
// shared with an account through image_shares, which it sees as `shared`).
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { IMAGE_SHARES } from './image-shares.js';
import { pageOf } from '../paging.js';
import { newId } from '../ids.js';

export const IMAGES = 'images';

/** Row of `images`. */
export interface ImageRow {
  id: string;
  region_id: string;
  owner_account_id: string | null;
  name: string;
  description: string;
  image_source: string;
  platform: string;
  os_type: string;
  os_version: string;
  architecture: string;
  status: string;
  min_disk_gb: number;
  size_bytes: number;
  files_dir: string;
  manifest: unknown;
  constraint_types: string[] | null;
  constraint_kind: string | null;
  progress: number;
  error_reason: string | null;
  source_instance_id: string | null;
  source_image_id: string | null;
  data_disks: ImageDataDisk[];
  created_at: Date;
}

/** A data disk an instance launched from a whole-machine image gets. */
export interface ImageDataDisk {
  deviceName: string;
  diskType: string;
  diskSizeGB: number;
  /** The snapshot it is made from; none: an empty disk. */
  snapshotId?: string;
  autoDelete: boolean;
}

/** An image as the rest of Kumo sees it. */
export interface ImageRecord {
  id: string;
  regionId: string;
  ownerAccountId: string | null;
  name: string;
  description: string;
  imageSource: 'public' | 'private' | 'shared' | 'thirdparty';
  platform: string;
  osType: string;
  osVersion: string;
  architecture: string;
  status: string;
  minDiskGB: number;
  sizeBytes: number;
  filesDir: string;
  manifest: unknown;
  constraint: { kind: 'includes' | 'excludes'; instanceTypes: string[] } | null;
  /** Percent done while `pending`. */
  progress: number;
  errorReason: string | null;
  /** The instance a createImage made it from. */
  sourceInstanceId: string | null;
  /** The image a copyImages made it from. */
  sourceImageId: string | null;
  /** Whole-machine images: the data disks an instance launched from it gets. */
  dataDisks: ImageDataDisk[];
  createdAt: Date;
}

/** Fields of a new image (status, progress and lineage have defaults). */
export type NewImage = Omit<
  ImageRecord,
  | 'id'
  | 'createdAt'
  | 'status'
  | 'progress'
  | 'errorReason'
  | 'sourceInstanceId'
  | 'sourceImageId'
  | 'dataDisks'
> &
  Partial<Pick<ImageRecord, 'status' | 'progress' | 'sourceInstanceId' | 'sourceImageId' | 'dataDisks'>> & {
    id?: string;
  };

// An image owned by someone else and not public is one shared with the viewer.
const toImage = (r: ImageRow, viewer?: string): ImageRecord => ({
  id: r.id,
  regionId: r.region_id,
  ownerAccountId: r.owner_account_id,
  name: r.name,
  description: r.description,
  imageSource:
    viewer !== undefined && r.owner_account_id !== null && r.owner_account_id !== viewer
      ? 'shared'
      : (r.image_source as ImageRecord['imageSource']),
  platform: r.platform,
  osType: r.os_type,
  osVersion: r.os_version,
  architecture: r.architecture,
  status: r.status,
  minDiskGB: r.min_disk_gb,
  sizeBytes: Number(r.size_bytes),
  filesDir: r.files_dir,
  manifest: r.manifest,
  constraint:
    r.constraint_kind && r.constraint_types
      ? { kind: r.constraint_kind as 'includes' | 'excludes', instanceTypes: r.constraint_types }
      : null,
  progress: r.progress,
  errorReason: r.error_reason,
  sourceInstanceId: r.source_instance_id,
  sourceImageId: r.source_image_id,
  dataDisks: r.data_disks ?? [],
  createdAt: r.created_at,
});

/** Filters of describeImages. */
export interface ImageFilter {
  ids?: string[];
  imageSource?: string;
  platform?: string;
  rootDeviceType?: string;
  status?: string;
}

/** Queries over images visible to an account: public ones, its own, and those shared with it. */
export class ImagesModel {
  constructor(private readonly db: Database) {}

  /** Registers an image (inside the caller's transaction when given). */
  async create(img: NewImage, trx?: Transaction): Promise<ImageRecord> {
    const [row] = await (trx ?? this.db)<ImageRow>(IMAGES)
      .insert({
        id: img.id ?? newId('img'),
        region_id: img.regionId,
        owner_account_id: img.ownerAccountId,
        name: img.name,
        description: img.description,
        image_source: img.imageSource,
        platform: img.platform,
        os_type: img.osType,
        os_version: img.osVersion,
        architecture: img.architecture,
        status: img.status ?? 'ready',
        min_disk_gb: img.minDiskGB,
        size_bytes: img.sizeBytes,
        files_dir: img.filesDir,
        manifest: JSON.stringify(img.manifest),
        constraint_kind: img.constraint?.kind ?? null,
        constraint_types: img.constraint ? JSON.stringify(img.constraint.instanceTypes) : null,
        progress: img.progress ?? 100,
        source_instance_id: img.sourceInstanceId ?? null,
        source_image_id: img.sourceImageId ?? null,
        data_disks: JSON.stringify(img.dataDisks ?? []),
      } as unknown as ImageRow)
      .returning('*');
    return toImage(row!);
  }

  private visible(regionId: string, accountId: string) {
    return this.db<ImageRow>(IMAGES)
      .where({ region_id: regionId })
      .andWhere((q) => {
        q.whereNull('owner_account_id')
          .orWhere({ owner_account_id: accountId })
          .orWhereIn('id', this.db(IMAGE_SHARES).select('image_id').where({ account_id: accountId }));
      });
  }

  /** One image the account may see (`imageSource` is `shared` for an image shared with it). */
  async find(regionId: string, accountId: string, id: string): Promise<ImageRecord | undefined> {
    const row = await this.visible(regionId, accountId).andWhere({ id }).first();
    return row && toImage(row, accountId);
  }

  /** One image by id regardless of owner (for jobs and admins). */
  async get(id: string): Promise<ImageRecord | undefined> {
    const row = await this.db<ImageRow>(IMAGES).where({ id }).first();
    return row && toImage(row);
  }

  /** A page of the images the account may see. */
  async page(
    regionId: string,
    accountId: string,
    f: ImageFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: ImageRecord[]; total: number }> {
    const q = this.visible(regionId, accountId);
    if (f.ids) q.whereIn('id', f.ids);
    // `shared` is how the viewer sees someone else's private image; `private` only its own.
    if (f.imageSource === 'shared')
      q.whereNotNull('owner_account_id').whereNot({ owner_account_id: accountId });
    else if (f.imageSource === 'private')
      q.andWhere({ owner_account_id: accountId, image_source: 'private' });
    else if (f.imageSource) q.andWhere({ image_source: f.imageSource });
    if (f.platform) q.andWhere({ platform: f.platform });
    if (f.status) q.andWhere({ status: f.status });
    // Every Kumo image is a local-disk image today; cloudDisk matches none.
    if (f.rootDeviceType && f.rootDeviceType !== 'localDisk') q.whereRaw('false');
    const { rows, total } = await pageOf(q, offset, limit);
    return { items: rows.map((r) => toImage(r, accountId)), total };
  }

  /** Renames or redescribes an image the account owns (admins pass undefined to edit public ones). */
  async update(id: string, patch: { name?: string; description?: string }): Promise<boolean> {
    const p: Record<string, string> = {};
    if (patch.name !== undefined) p.name = patch.name;
    if (patch.description !== undefined) p.description = patch.description;
    if (Object.keys(p).length === 0) return true;
    return (await this.db(IMAGES).where({ id }).update(p)) > 0;
  }

  /**
   * Deletes an image unless an instance uses it (or, for a private image, it is shared or being
   * made); the checks and the delete are atomic. Returns the deleted row's file keys so the caller
   * can drop store objects no other image names.
   */
  async deleteUnlessUsed(
    id: string,
  ): Promise<{ r: 'deleted'; record: ImageRecord } | { r: 'in-use' | 'shared' | 'pending' | 'missing' }> {
    return this.db.transaction(async (trx) => {
      const row = await trx<ImageRow>(IMAGES).where({ id }).forUpdate().first();
      if (!row) return { r: 'missing' };
      if (row.status === 'pending') return { r: 'pending' };
      const used = await trx('instances').where({ image_id: id }).first('id');
      if (used) return { r: 'in-use' };
      // An instance being imaged from this image's child holds nothing here; a share does.
      if (await trx(IMAGE_SHARES).where({ image_id: id }).first('image_id')) return { r: 'shared' };
      await trx(IMAGES).where({ id }).delete();
      return { r: 'deleted', record: toImage(row) };
    });
  }

  /** Whether any image still names a file with this sha256 (before its store object goes). */
  async namesObject(sha256: string): Promise<boolean> {
    const row = await this.db(IMAGES)
      .whereRaw(
        `manifest->'files'->'root'->>'sha256' = ? OR manifest->'files'->'kernel'->>'sha256' = ? OR manifest->'files'->'initrd'->>'sha256' = ?`,
        [sha256, sha256, sha256],
      )
      .first('id');
    return row !== undefined;
  }

  /** The image whose data disks are made from snapshot `snapshotId`, if any (inside `trx` when given). */
  async namingSnapshot(snapshotId: string, trx?: Transaction): Promise<string | undefined> {
    const row: { id: string } | undefined = await (trx ?? this.db)(IMAGES)
      .whereRaw('data_disks @> ?::jsonb', [JSON.stringify([{ snapshotId }])])
      .first('id');
    return row?.id;
  }

  /** How many images an account owns in a region (quota), inside a transaction when given. */
  async countOwned(regionId: string, accountId: string, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)(IMAGES)
      .where({ region_id: regionId, owner_account_id: accountId })
      .count({ n: '*' })) as [{ n: number | string }];
    return Number(n);
  }

  /**
   * Fails every `pending` image made from an instance that no longer runs the createImage task
   * for it; returns their ids. (The claim and the pending row commit together, so no live task
   * is ever missed.)
   */
  async failOrphanedPending(): Promise<string[]> {
    const r = await this.db.raw<{ rows: { id: string }[] }>(
      `UPDATE ${IMAGES} SET status = 'error',
         error_reason = 'the createImage task ended before the image was stored'
       WHERE status = 'pending' AND source_instance_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM instances i WHERE i.id = ${IMAGES}.source_instance_id
           AND i.task = 'image' AND i.task_args->>'imageId' = ${IMAGES}.id)
       RETURNING id`,
    );
    return r.rows.map((row) => row.id);
  }

  /** Progress of an image being made (only while `pending`). */
  async setProgress(id: string, progress: number): Promise<void> {
    await this.db(IMAGES)
      .where({ id, status: 'pending' })
      .update({ progress: Math.max(0, Math.min(99, Math.floor(progress))) });
  }

  /**
   * Ends the making of an image: `ready` with its data's manifest and size, or `error` with a
   * reason. Only a `pending` image changes, so a re-run after a crash cannot undo an outcome.
   */
  async settle(
    id: string,
    outcome: { status: 'ready'; manifest: unknown; sizeBytes: number } | { status: 'error'; reason: string },
  ): Promise<boolean> {
    const patch =
      outcome.status === 'ready'
        ? {
            status: 'ready',
            progress: 100,
            manifest: JSON.stringify(outcome.manifest),
            size_bytes: outcome.sizeBytes,
          }
        : { status: 'error', error_reason: outcome.reason.slice(0, 500) };
    return (await this.db(IMAGES).where({ id, status: 'pending' }).update(patch)) > 0;
  }
}
