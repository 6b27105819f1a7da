// importImage: policy for importing a private image from a URL. The request is checked in full
// here (JD's ranges; Kumo's hosts boot x86_64 Linux from qcow2), then the image quota, the new
// `pending` image and its import task commit in one transaction under the account's image lock,
// so concurrent calls can neither pass the quota nor leave an image without a task. The worker
// (jobs/image-import-worker.ts) downloads, checks and stores the data.
import {
  Errors,
  IMAGE_NAME,
  IMPORT_PLATFORMS,
  type ImportImageResult,
  type ImportUserImageRequest,
} from '@kumo/contract';
import {
  newId,
  type ImageTaskFilter,
  type ImagesModel,
  type ImageTasksModel,
  type Scope,
  type Transactions,
} from '@kumo/store';
import { ImportAddressPolicy, ImportUrlError, parseImportUrl } from '../compute/import-url.js';
import { isIP } from 'node:net';
import { ExchangeRefused, type S3ImageExchange } from '../drivers/image-exchange.js';
import { imageQuotaLock } from './image-creation.js';

/** What importImage needs. */
export interface ImageImportDeps {
  tx: Transactions;
  images: ImagesModel;
  tasks: ImageTasksModel;
  policy: ImportAddressPolicy;
  /** The image exchange bucket, for `s3://` URLs (KUMO_IMAGE_EXCHANGE_BUCKET); none: http(s) only. */
  exchange: S3ImageExchange | undefined;
  /** Private images per account and region (KUMO_QUOTA_IMAGE). */
  imageQuota(): number;
  /** Wakes the import worker. */
  kick(): void;
}

const LINUX_PLATFORMS = new Set<string>(['Ubuntu', 'CentOS', 'Other Linux']);

/** Imports private images from URLs. */
export class ImageImportService {
  constructor(private readonly d: ImageImportDeps) {}

  /** importImage: returns the pending image's id and its task's at once. */
  async import(scope: Scope, req: ImportUserImageRequest, accountName: string): Promise<ImportImageResult> {
    const { url, systemDiskGB } = this.check(req, accountName);
    const token = req.clientToken || undefined;
    const result = await this.d.tx.locked(imageQuotaLock(scope), async (trx) => {
      // The same clientToken answers with the task it created, whatever the rest of the request.
      const earlier = token && (await this.d.tasks.byToken(scope, token, trx));
      if (earlier) return { imageId: earlier.imageId, taskId: earlier.id, created: false };
      if ((await this.d.images.countOwned(scope.regionId, scope.accountId, trx)) >= this.d.imageQuota())
        throw Errors.quotaExceeded('image');
      const imageId = newId('img');
      await this.d.images.create(
        {
          id: imageId,
          regionId: scope.regionId,
          ownerAccountId: scope.accountId,
          name: req.imageName,
          description: req.description ?? '',
          imageSource: 'private',
          platform: req.platform,
          osType: 'linux',
          osVersion: req.osVersion ?? '',
          architecture: 'x86_64',
          minDiskGB: systemDiskGB,
          sizeBytes: 0,
          filesDir: '',
          // Written by the worker with the stored data's hash; nothing boots a pending image.
          manifest: { name: imageId, pending: 'import' },
          constraint: null,
          status: 'pending',
          progress: 0,
        },
        trx,
      );
      const taskId = await this.d.tasks.create(
        scope,
        { imageId, sourceUrl: url, systemDiskGB, ...(token ? { clientToken: token } : {}) },
        trx,
      );
      return { imageId, taskId, created: true };
    });
    if (result.created) this.d.kick();
    return { imageId: result.imageId, taskId: result.taskId };
  }

  /** imageTasks: the account's import tasks in the region. */
  tasks(scope: Scope, f: ImageTaskFilter, offset: number, limit: number) {
    return this.d.tasks.page(scope, f, offset, limit);
  }

  /** JD's ranges and what Kumo's hosts can boot; throws invalidParameter naming the field. */
  private check(req: ImportUserImageRequest, accountName: string): { url: string; systemDiskGB: number } {
    if (req.architecture !== 'x86_64')
      throw Errors.invalidParameter('architecture', "this region's hosts run x86_64 guests only");
    if (req.osType !== 'linux')
      throw Errors.invalidParameter('osType', 'only linux images boot here (cloud-init seeds the guest)');
    if (!(IMPORT_PLATFORMS as readonly string[]).includes(req.platform) || !LINUX_PLATFORMS.has(req.platform))
      throw Errors.invalidParameter('platform', 'must be Ubuntu, CentOS or Other Linux');
    if (req.diskFormat !== 'qcow2')
      throw Errors.invalidParameter('diskFormat', 'only qcow2 is imported here (qemu-img convert -O qcow2)');
    const gb = req.systemDiskSizeGB;
    if (gb < 40 || gb > 500 || gb % 10 !== 0)
      throw Errors.invalidParameter('systemDiskSizeGB', 'must be 40 to 500 in steps of 10');
    if (!IMAGE_NAME.test(req.imageName)) throw Errors.invalidParameter('imageName');
    if (req.imageUrl.startsWith('s3://'))
      return { url: this.exchangeUrl(req.imageUrl, accountName), systemDiskGB: gb };
    let url: URL;
    try {
      url = parseImportUrl(req.imageUrl);
    } catch (err) {
      throw Errors.invalidParameter('imageUrl', (err as ImportUrlError).message);
    }
    // Address literals are refused now; names are checked when the worker connects.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.d.policy.permits(host))
      throw Errors.invalidParameter('imageUrl', 'is not an address imports may reach');
    return { url: url.toString(), systemDiskGB: gb };
  }

  /** An `s3://` URL: an object under the account's own prefix in the exchange bucket. */
  private exchangeUrl(raw: string, accountName: string): string {
    const ex = this.d.exchange;
    if (!ex)
      throw Errors.invalidParameter('imageUrl', 'this region has no image exchange bucket for s3:// URLs');
    try {
      return ex.url(ex.ownKey(ex.keyOf(raw), accountName));
    } catch (err) {
      throw Errors.invalidParameter('imageUrl', (err as ExchangeRefused).message);
    }
  }
}
