// exportImage: policy for exporting a private image's system disk (a qcow2 file) into the image
// exchange bucket. The request is checked in full here: the bucket must be the exchange's, the
// object lands under the caller's own prefix (`<account name>/<ossPrefix><imageId>.qcow2`), the
// image must be the caller's own, ready and bootable from its disk alone. The task commits alone
// (exports change no image); the worker (jobs/image-export.ts) streams the store's object out.
// JD's roleName names the role its OSS trusts; here the exchange is the operator's bucket and
// kumod writes with the operator's credentials, so it is checked for shape and recorded only.
import type { ImageManifest } from '@kumo/hypervisor';
import { Errors, type ExportImageRequest, type ExportImageResult } from '@kumo/contract';
import type { Account, ImageTasksModel, Transactions } from '@kumo/store';
import { ExchangeRefused, type S3ImageExchange } from '../drivers/image-exchange.js';
import type { ImageService } from './images.js';

/** What exportImage needs. */
export interface ImageExportDeps {
  tx: Transactions;
  tasks: ImageTasksModel;
  images: ImageService;
  /** The exchange bucket, when the operator configured one (KUMO_IMAGE_EXCHANGE_BUCKET). */
  exchange: S3ImageExchange | undefined;
  /** Wakes the image task worker. */
  kick(): void;
}

const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Exports private images. */
export class ImageExportService {
  constructor(private readonly d: ImageExportDeps) {}

  async export(
    regionId: string,
    account: Account,
    imageId: string,
    req: ExportImageRequest,
  ): Promise<ExportImageResult> {
    const ex = this.d.exchange;
    if (!ex)
      throw Errors.unsupported('exportImage without an image exchange bucket (KUMO_IMAGE_EXCHANGE_BUCKET)');
    if (!ROLE_NAME.test(req.roleName)) throw Errors.invalidParameter('roleName');
    const bucket = /^s3:\/\/([^/]+)\/?$/.exec(req.ossUrl)?.[1];
    if (bucket !== ex.bucket)
      throw Errors.invalidParameter('ossUrl', `must be s3://${ex.bucket}, the image exchange bucket`);
    const img = await this.d.images.get(regionId, account, imageId);
    if (img.imageSource === 'shared') throw Errors.imageNotOwned(img.id);
    if (img.imageSource !== 'private') throw Errors.imageNotPrivate(img.id);
    if (img.status !== 'ready') throw Errors.imageNotReady(img.id);
    if ((img.manifest as ImageManifest).boot.mode !== 'firmware')
      throw Errors.invalidParameter(
        'imageId',
        'the image boots a kernel kept beside its disk, so its disk alone is not a bootable export',
      );
    let key: string;
    try {
      key = ex.ownKey(`${account.name}/${req.ossPrefix ?? ''}${img.id}.qcow2`, account.name);
    } catch (err) {
      throw Errors.invalidParameter('ossPrefix', (err as ExchangeRefused).message);
    }
    const scope = { accountId: account.id, regionId };
    const token = req.clientToken || undefined;
    const r = await this.d.tx.locked(`image-export:${account.id}`, async (trx) => {
      const earlier = token && (await this.d.tasks.byToken(scope, token, trx));
      if (earlier) return { taskId: earlier.id, created: false };
      const taskId = await this.d.tasks.create(
        scope,
        {
          action: 'ExportImage',
          imageId: img.id,
          targetUrl: ex.url(key),
          systemDiskGB: img.minDiskGB,
          ...(token ? { clientToken: token } : {}),
        },
        trx,
      );
      return { taskId, created: true };
    });
    if (r.created) this.d.kick();
    return { taskId: r.taskId };
  }
}
