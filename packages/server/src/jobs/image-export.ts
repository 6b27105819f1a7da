// One exportImage task's work: the image's root object streams from the image store (re-hashed
// on the way: a corrupt object fails the upload before it completes) into the exchange bucket as
// one multipart upload, so the object appears only whole. A re-run after a crash uploads again
// and replaces what an earlier run completed with the same bytes; an image deleted meanwhile
// fails the task with a message saying so.
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import type { ImagesModel, ImageTaskRecord, ImageTasksModel } from '@kumo/store';
import { imageOrigin } from '../compute/image-files.js';
import { ExchangeRefused, type S3ImageExchange } from '../drivers/image-exchange.js';
import type { ImageStore } from '../drivers/image-store.js';
import type { Logger } from '../logger.js';

/** What an export needs. */
export interface ImageExportDeps {
  tasks: ImageTasksModel;
  images: ImagesModel;
  store: ImageStore;
  exchange?: S3ImageExchange;
  owner: string;
  log: Logger;
  /** Dies like `kill -9` at a named point (KUMO_TEST_CRASH_AT). */
  point(name: string): void;
}

/** Runs one export to its end; throws ExchangeRefused for what the user must change. */
export async function runExport(task: ImageTaskRecord, d: ImageExportDeps): Promise<void> {
  if (!d.exchange) throw new ExchangeRefused('this region no longer has an image exchange bucket');
  const key = d.exchange.keyOf(task.targetUrl);
  const image = await d.images.get(task.imageId);
  if (image?.status !== 'ready') throw new ExchangeRefused('the image was deleted before it was exported');
  d.point('imageTasks:export');
  d.log.info({ taskId: task.id, imageId: image.id, to: task.targetUrl }, 'exporting an image');
  const origin = await imageOrigin(image, d.store);
  const total = Math.max(1, image.sizeBytes);
  let sent = 0;
  let last = 0;
  const progress = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      sent += chunk.length;
      if (Date.now() - last >= 1000) {
        last = Date.now();
        void d.tasks.setProgress(task.id, d.owner, (99 * sent) / total).catch(() => undefined);
      }
      cb(null, chunk);
    },
  });
  const source = await origin.open();
  pipeline(source, progress, () => undefined);
  const bytes = await d.exchange.upload(key, progress);
  d.point('imageTasks:export:uploaded');
  await d.tasks.finish(task.id, d.owner, { status: 'finished', message: task.targetUrl });
  d.log.info({ taskId: task.id, imageId: image.id, bytes }, 'image exported');
}
