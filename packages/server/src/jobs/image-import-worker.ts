// Runs image tasks: claims unfinished rows under a lease. An export goes to jobs/image-export.ts.
// An import downloads the URL (through the address policy of compute/import-url.ts, or from the
// image exchange bucket for an `s3://` URL), checks the qcow2 header of the first bytes and the
// size while streaming into the image store (hashing on the way), then makes the pending image
// `ready` with that object as its root. A re-run after a crash downloads again (a put of bytes
// already stored stores nothing new) and only a `pending` image is settled, so it converges. What
// the user sent that cannot be imported fails the task and the image with a message saying why;
// a store or database that does not answer leaves the task to be retried.
import { Transform, type TransformCallback } from 'node:stream';
import { validateManifest, type ImageManifest } from '@kumo/hypervisor';
import type { ImagesModel, ImageTaskRecord, ImageTasksModel } from '@kumo/store';
import { ImportAddressPolicy, ImportUrlError, openImportUrl, originOf } from '../compute/import-url.js';
import { checkQcow2Header, DiskImageRefused, QCOW2_HEADER_BYTES } from '../compute/qcow2-header.js';
import { ExchangeRefused, type S3ImageExchange } from '../drivers/image-exchange.js';
import { isImageStoreError, type ImageStore } from '../drivers/image-store.js';
import type { Logger } from '../logger.js';
import { runExport } from './image-export.js';
import { WorkLoop } from './work-loop.js';

/** What the worker needs. */
export interface ImageImportWorkerDeps {
  tasks: ImageTasksModel;
  images: ImagesModel;
  store: ImageStore;
  policy: ImportAddressPolicy;
  /** The image exchange bucket (imports from `s3://`, exports), when configured. */
  exchange?: S3ImageExchange;
  owner: string;
  leaseSeconds: number;
  intervalMs: number;
  log: Logger;
  /**
   * Test hook (KUMO_TEST_CRASH_AT): the process dies like `kill -9` at `imageTasks:import[:stored]`
   * or `imageTasks:export[:uploaded]`.
   */
  crashAt?: string;
}

const GiB = 2 ** 30;
/** A qcow2 file holds at most its virtual size plus metadata (tables, refcounts): a generous bound. */
const METADATA_SLACK = 256 * 2 ** 20;
const BATCH = 4;
/** How long transient failures (a reset connection, a store that does not answer) are retried. */
const GIVE_UP_MS = 6 * 3_600_000;
/** How long a stop waits for the pass it cut. */
const STOP_GRACE_MS = 5_000;

/** One process's import worker. */
export class ImageImportWorker {
  private readonly loop: WorkLoop;
  private readonly abort = new AbortController();

  constructor(private readonly d: ImageImportWorkerDeps) {
    this.loop = new WorkLoop({
      name: 'image import',
      intervalMs: d.intervalMs,
      maxPasses: 10,
      log: d.log,
      pass: () => this.pass(),
    });
  }

  start(): void {
    this.loop.start();
  }

  /**
   * Stops at once: downloads in flight are cut and their tasks given back for the next claim. A
   * pass that still has not ended after STOP_GRACE_MS is left behind (its leases lapse), so a
   * store or URL that hangs cannot hold kumod's stop.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STOP_GRACE_MS)));
    const ended = await Promise.race([this.loop.stop().then(() => 'stopped' as const), late]);
    clearTimeout(timer);
    if (ended === 'late')
      this.d.log.warn('image import pass still running at stop; its tasks will be retried');
  }

  kick(): void {
    this.loop.kick();
  }

  drain(): Promise<void> {
    return this.loop.drain();
  }

  private async pass(): Promise<number> {
    if (this.abort.signal.aborted) return 0;
    const ids = await this.d.tasks.claimWork(this.d.owner, this.d.leaseSeconds, BATCH);
    await Promise.all(ids.map((id) => this.leased(id)));
    return ids.length;
  }

  private async leased(id: string): Promise<void> {
    const { tasks, owner, leaseSeconds, log } = this.d;
    const beat = setInterval(
      () => void tasks.renew(id, owner, leaseSeconds).catch(() => undefined),
      Math.max(500, (leaseSeconds * 1000) / 3),
    );
    const task = await tasks.get(id);
    try {
      if (task?.action === 'ExportImage') await runExport(task, { ...this.d, point: (p) => this.point(p) });
      else if (task) await this.run(task);
    } catch (err) {
      if (this.abort.signal.aborted) {
        await tasks.release(id, owner);
      } else if (
        err instanceof ImportUrlError ||
        err instanceof DiskImageRefused ||
        err instanceof ExchangeRefused ||
        // An export's image deleted while its bytes streamed out.
        (task?.action === 'ExportImage' && isImageStoreError(err, 'NOT_FOUND'))
      ) {
        await this.fail(task!, err.message);
      } else if (task && Date.now() - task.createdAt.getTime() > GIVE_UP_MS) {
        await this.fail(task, `gave up after ${GIVE_UP_MS / 3_600_000} hours: ${(err as Error).message}`);
      } else {
        // Left claimed: the lease lapses and the task is tried again (a reset connection, a store
        // that does not answer).
        log.warn({ err, taskId: id }, 'image import could not finish; it will be retried');
      }
    } finally {
      clearInterval(beat);
    }
  }

  private async fail(task: ImageTaskRecord, message: string): Promise<void> {
    this.d.log.info({ taskId: task.id, imageId: task.imageId, message }, `${task.action} failed`);
    // A failed import fails its pending image; an export changes no image.
    if (task.action === 'ImportImage')
      await this.d.images.settle(task.imageId, { status: 'error', reason: message });
    await this.d.tasks.finish(task.id, this.d.owner, { status: 'failed', message });
  }

  private exchange(): S3ImageExchange {
    if (!this.d.exchange) throw new ExchangeRefused('this region no longer has an image exchange bucket');
    return this.d.exchange;
  }

  private point(p: string): void {
    if (this.d.crashAt === p) process.kill(process.pid, 'SIGKILL');
  }

  private async run(task: ImageTaskRecord): Promise<void> {
    const { images, tasks, store, owner, log } = this.d;
    const image = await images.get(task.imageId);
    // Settled by an earlier run that died before ending its task, or deleted meanwhile.
    if (image?.status !== 'pending') {
      if (image?.status === 'ready') await tasks.finish(task.id, owner, { status: 'finished' });
      else await this.fail(task, image ? (image.errorReason ?? 'the image failed') : 'the image was deleted');
      return;
    }
    this.point('imageTasks:import');
    const fromExchange = task.sourceUrl.startsWith('s3://');
    const from = fromExchange ? `s3://${this.d.exchange?.bucket ?? '?'}` : originOf(task.sourceUrl);
    log.info({ taskId: task.id, imageId: image.id, from }, 'importing an image');
    const maxVirtual = task.systemDiskGB * GiB;
    const maxBytes = maxVirtual + METADATA_SLACK;
    const opened = fromExchange
      ? await this.exchange().open(this.exchange().keyOf(task.sourceUrl), this.abort.signal)
      : await openImportUrl(task.sourceUrl, this.d.policy, undefined, this.abort.signal);
    const onAbort = () => opened.body.destroy(new Error('kumod is stopping'));
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Stopped while the request was being answered: the listener above came too late.
      if (this.abort.signal.aborted) throw new Error('kumod is stopping');
      if (opened.declaredBytes !== undefined && opened.declaredBytes > maxBytes)
        throw new DiskImageRefused(`the file is larger than a ${task.systemDiskGB} GB system disk`);
      let last = 0;
      const progress = (n: number) => {
        if (!opened.declaredBytes || Date.now() - last < 1000) return;
        last = Date.now();
        const pct = (99 * n) / opened.declaredBytes;
        void Promise.all([tasks.setProgress(task.id, owner, pct), images.setProgress(image.id, pct)]).catch(
          () => undefined,
        );
      };
      const checked = opened.body.pipe(new Qcow2Gate(maxVirtual, maxBytes, task.systemDiskGB));
      opened.body.on('error', (e) => checked.destroy(e));
      checked.on('error', () => opened.body.destroy());
      const stored = await store.put(checked, { onProgress: progress });
      this.point('imageTasks:import:stored');
      const manifest = validateManifest({
        name: image.id,
        os: image.platform.toLowerCase().replace(/\s+/g, '-'),
        version: image.osVersion,
        arch: 'x86_64',
        rootDevice: 'virtio-blk',
        minDiskBytes: maxVirtual,
        boot: { mode: 'firmware' },
        // Keys go to root and to the image's own cloud-init default user.
        defaultUser: 'root',
        sshPasswordAuth: true,
        files: { root: { path: 'root.qcow2', sha256: stored.sha256, bytes: stored.bytes } },
      } satisfies ImageManifest);
      await images.settle(image.id, { status: 'ready', manifest, sizeBytes: stored.bytes });
      await tasks.finish(task.id, owner, { status: 'finished' });
      log.info({ taskId: task.id, imageId: image.id, bytes: stored.bytes }, 'image imported');
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      // A refusal before or during the stream leaves the connection open: close it.
      if (!opened.body.readableEnded) opened.body.destroy();
    }
  }
}

/** Passes the bytes on once the header passed the qcow2 checks; fails past the size bounds. */
class Qcow2Gate extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private seen = 0;
  private open = false;

  constructor(
    private readonly maxVirtual: number,
    private readonly maxBytes: number,
    private readonly diskGB: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes)
      return cb(new DiskImageRefused(`the file is larger than a ${this.diskGB} GB system disk`));
    if (this.open) return cb(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < QCOW2_HEADER_BYTES) return cb();
    return this.release(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.open) return cb();
    // Shorter than a header: the check says what it is not.
    this.release(cb);
  }

  private release(cb: TransformCallback): void {
    const all = Buffer.concat(this.head);
    this.head = [];
    try {
      const info = checkQcow2Header(all);
      if (info.virtualBytes > this.maxVirtual)
        throw new DiskImageRefused(
          `the image's disk (${Math.ceil(info.virtualBytes / GiB)} GB) is larger than systemDiskSizeGB ${this.diskGB}`,
        );
    } catch (err) {
      return cb(err as Error);
    }
    this.open = true;
    cb(null, all);
  }
}
