// images: the image registry (public images of a region, and later private ones per account).
import type { Database } from '../db.js';
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
  created_at: Date;
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
  createdAt: Date;
}

const toImage = (r: ImageRow): ImageRecord => ({
  id: r.id,
  regionId: r.region_id,
  ownerAccountId: r.owner_account_id,
  name: r.name,
  description: r.description,
  imageSource: r.image_source as ImageRecord['imageSource'],
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

/** Queries over images visible to an account: public ones and its own. */
export class ImagesModel {
  constructor(private readonly db: Database) {}

  /** Registers an image. */
  async create(
    img: Omit<ImageRecord, 'id' | 'createdAt' | 'status'> & { status?: string },
  ): Promise<ImageRecord> {
    const [row] = await this.db<ImageRow>(IMAGES)
      .insert({
        id: newId('img'),
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
      } as unknown as ImageRow)
      .returning('*');
    return toImage(row!);
  }

  private visible(regionId: string, accountId: string) {
    return this.db<ImageRow>(IMAGES)
      .where({ region_id: regionId })
      .andWhere((q) => {
        q.whereNull('owner_account_id').orWhere({ owner_account_id: accountId });
      });
  }

  /** One image the account may see. */
  async find(regionId: string, accountId: string, id: string): Promise<ImageRecord | undefined> {
    const row = await this.visible(regionId, accountId).andWhere({ id }).first();
    return row && toImage(row);
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
    if (f.imageSource) q.andWhere({ image_source: f.imageSource });
    if (f.platform) q.andWhere({ platform: f.platform });
    if (f.status) q.andWhere({ status: f.status });
    // Every Kumo image is a local-disk image today; cloudDisk matches none.
    if (f.rootDeviceType && f.rootDeviceType !== 'localDisk') q.whereRaw('false');
    const { rows, total } = await pageOf(q, offset, limit);
    return { items: rows.map(toImage), total };
  }

  /** Renames or redescribes an image the account owns (admins pass undefined to edit public ones). */
  async update(id: string, patch: { name?: string; description?: string }): Promise<boolean> {
    const p: Record<string, string> = {};
    if (patch.name !== undefined) p.name = patch.name;
    if (patch.description !== undefined) p.description = patch.description;
    if (Object.keys(p).length === 0) return true;
    return (await this.db(IMAGES).where({ id }).update(p)) > 0;
  }

  /** Deletes an image unless an instance uses it; the check and delete are atomic. */
  async deleteUnlessUsed(id: string): Promise<'deleted' | 'in-use' | 'missing'> {
    return this.db.transaction(async (trx) => {
      const row = await trx(IMAGES).where({ id }).forUpdate().first();
      if (!row) return 'missing';
      const used = await trx('instances').where({ image_id: id }).first('id');
      if (used) return 'in-use';
      await trx(IMAGES).where({ id }).delete();
      return 'deleted';
    });
  }

  /** How many images an account owns in a region (quota). */
  async countOwned(regionId: string, accountId: string): Promise<number> {
    const [{ n }] = (await this.db(IMAGES)
      .where({ region_id: regionId, owner_account_id: accountId })
      .count({ n: '*' })) as [{ n: number }];
    return n;
  }
}
