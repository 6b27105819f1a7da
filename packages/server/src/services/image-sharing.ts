// shareImage, unShareImage, describeImageMembers and copyImages: policy for private images
// leaving their owner's account or region. Only the owner of a ready private image may share or
// copy it; pins (Kumo's pin is the account name) must name existing accounts other than the
// owner's; the imageShare quota is checked and the shares written under the image's lock, so
// concurrent calls cannot pass it. A copy is a new row in the destination region naming the same
// store objects: the store serves the whole installation, so the copy is ready at once.
import { Errors, ID_PATTERNS, REGION_ID } from '@kumo/contract';
import type {
  Account,
  HostsModel,
  ImageRecord,
  ImageSharesModel,
  ImagesModel,
  Transactions,
} from '@kumo/store';
import type { QuotaLimits } from '../config.js';
import { imageQuotaLock } from './image-creation.js';
import type { ImageService } from './images.js';

/** What sharing and copying need. */
export interface ImageSharingDeps {
  tx: Transactions;
  images: ImagesModel;
  shares: ImageSharesModel;
  imageService: ImageService;
  hosts: HostsModel;
  /** `imageShare` (accounts per image) and `image` (private images per account and region). */
  quotas: QuotaLimits;
  /** The configured region (KUMO_REGION); hosts registered elsewhere add theirs. */
  homeRegion: string;
}

/** Shares and copies private images. */
export class ImageSharingService {
  constructor(private readonly d: ImageSharingDeps) {}

  // The owner's own ready private image, or the error JD gives for anything else.
  private async ownPrivate(regionId: string, account: Account, imageId: string): Promise<ImageRecord> {
    const img = await this.d.imageService.get(regionId, account, imageId);
    if (img.imageSource === 'shared') throw Errors.imageNotOwned(img.id);
    if (img.imageSource !== 'private' || img.ownerAccountId !== account.id)
      throw Errors.imageNotPrivate(img.id);
    return img;
  }

  // The account ids of distinct pins; an unknown pin or the owner's own is refused by name.
  private async accountsOf(account: Account, pins: readonly string[] | undefined): Promise<string[]> {
    const names = [...new Set(pins ?? [])];
    if (names.length === 0) throw Errors.missingParameter('pins');
    const ids = await this.d.shares.accountsNamed(names);
    for (const n of names) {
      const id = ids.get(n);
      if (id === undefined) throw Errors.invalidParameter('pins', `unknown pin '${n.slice(0, 64)}'`);
      if (id === account.id)
        throw Errors.invalidParameter('pins', 'an image cannot be shared with its owner');
    }
    return names.map((n) => ids.get(n)!);
  }

  // The regions this installation serves: the configured one and those hosts were registered in.
  private async regions(): Promise<string[]> {
    return [...new Set([this.d.homeRegion, ...(await this.d.hosts.zones()).map((z) => z.regionId)])];
  }

  /** shareImage: adds accounts (already shared ones are kept); nothing changes on a refusal. */
  async share(
    regionId: string,
    account: Account,
    imageId: string,
    pins: string[] | undefined,
  ): Promise<void> {
    const img = await this.ownPrivate(regionId, account, imageId);
    if (img.status !== 'ready') throw Errors.imageNotReady(img.id);
    // Its data disks come from the owner's snapshots, which no other account may read.
    if (img.dataDisks.length > 0) throw Errors.wholeMachineImage(img.id, 'shared');
    const ids = await this.accountsOf(account, pins);
    await this.d.tx.locked(`image-shares:${img.id}`, async (trx) => {
      const now = new Set((await this.d.shares.members(img.id, trx)).map((m) => m.id));
      const after = new Set([...now, ...ids]);
      if (after.size > this.d.quotas.imageShare) throw Errors.quotaExceeded('imageShare');
      await this.d.shares.add(img.id, ids, trx);
    });
  }

  /** unShareImage: removes accounts; the image disappears from their lists at once. */
  async unshare(
    regionId: string,
    account: Account,
    imageId: string,
    pins: string[] | undefined,
  ): Promise<void> {
    const img = await this.ownPrivate(regionId, account, imageId);
    const ids = await this.accountsOf(account, pins);
    await this.d.shares.remove(img.id, ids);
  }

  /** describeImageMembers: the pins of the owner's image. */
  async members(regionId: string, account: Account, imageId: string): Promise<string[]> {
    return (await this.memberships(regionId, account, imageId)).map((m) => m.name);
  }

  /** The accounts the owner's image is shared with, and since when (CVM's share permissions). */
  async memberships(regionId: string, account: Account, imageId: string) {
    const img = await this.ownPrivate(regionId, account, imageId);
    return (await this.d.shares.members(img.id)).map((m) => ({ name: m.name, sharedAt: m.sharedAt }));
  }

  /** The imageShare quota's usage: accounts the (own) image is shared with; 0 for any other. */
  async usage(regionId: string, accountId: string, imageId: string | undefined): Promise<number> {
    if (!imageId) return 0;
    const img = await this.d.images.find(regionId, accountId, imageId);
    return img && img.ownerAccountId === accountId ? this.d.shares.count(img.id) : 0;
  }

  /** copyImages: one new private image per source in the destination region, ready at once. */
  async copy(
    regionId: string,
    account: Account,
    sourceImageIds: string[],
    destinationRegion: string,
  ): Promise<{ sourceImageId: string; destinationImageId: string }[]> {
    if (!REGION_ID.test(destinationRegion) || !(await this.regions()).includes(destinationRegion))
      throw Errors.unknownRegion(destinationRegion.slice(0, 64));
    if (destinationRegion === regionId)
      throw Errors.invalidParameter('destinationRegion', 'is the source region');
    const ids = [...new Set(sourceImageIds)];
    const sources: ImageRecord[] = [];
    for (const id of ids) {
      if (!ID_PATTERNS.image.test(id)) throw Errors.imageNotFound(id.slice(0, 64));
      const img = await this.ownPrivate(regionId, account, id);
      if (img.status !== 'ready') throw Errors.imageNotReady(img.id);
      // Snapshots live in one region's storage.
      if (img.dataDisks.length > 0) throw Errors.wholeMachineImage(img.id, 'copied to another region');
      sources.push(img);
    }
    const scope = { accountId: account.id, regionId: destinationRegion };
    return this.d.tx.locked(imageQuotaLock(scope), async (trx) => {
      const have = await this.d.images.countOwned(destinationRegion, account.id, trx);
      if (have + sources.length > this.d.quotas.image) throw Errors.quotaExceeded('image');
      const out: { sourceImageId: string; destinationImageId: string }[] = [];
      for (const s of sources) {
        const copy = await this.d.images.create(
          {
            regionId: destinationRegion,
            ownerAccountId: account.id,
            name: s.name,
            description: s.description,
            imageSource: 'private',
            platform: s.platform,
            osType: s.osType,
            osVersion: s.osVersion,
            architecture: s.architecture,
            minDiskGB: s.minDiskGB,
            sizeBytes: s.sizeBytes,
            filesDir: s.filesDir,
            manifest: s.manifest,
            constraint: s.constraint,
            sourceImageId: s.id,
          },
          trx,
        );
        out.push({ sourceImageId: s.id, destinationImageId: copy.id });
      }
      return out;
    });
  }
}
