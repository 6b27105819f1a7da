// The per-host image cache: an image's files uploaded once into the pool through volume streams,
// verified by sha256 before upload and by reading back, with a marker volume written last so a
// half-uploaded image is never taken for a complete one. Knows nothing of instances beyond refusing
// to delete a base that an overlay still uses.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { StoragePool } from '@kumo/libvirt';
import type { HostContext } from './context.js';
import { HypervisorError } from './errors.js';
import { imageKey, validateManifest, type ImageFiles, type ImageManifest } from './image.js';
import { Reverter } from './reverter.js';
import type { Pool } from './storage/pool.js';
import type { Volumes } from './storage/volumes.js';

/** The image files an instance boots from, as paths on the host. */
export interface ImagePaths {
  root: string;
  kernel?: string;
  initrd?: string;
}

/** Hashes a local file with sha256 (hex), reading it as a stream. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const FILES = ['root', 'kernel', 'initrd'] as const;

/** Images cached in one host's pool. */
export class ImageCache {
  constructor(
    private readonly ctx: HostContext,
    private readonly pool: Pool,
    private readonly volumes: Volumes,
  ) {}

  /** True when the image's files are in the pool and verified. */
  async has(manifest: ImageManifest): Promise<boolean> {
    const pool = await this.pool.require();
    return (
      (await this.volumes.lookup(pool, this.ctx.names.imageVolume(imageKey(manifest), 'ok'))) !== undefined
    );
  }

  /**
   * Uploads an image's files once. Idempotent: a verified image returns at once; a half-uploaded one
   * (crash) is deleted and uploaded again. A failure leaves no volume behind.
   */
  async ensure(manifest: ImageManifest, files: ImageFiles): Promise<void> {
    try {
      validateManifest(manifest);
    } catch (err) {
      throw new HypervisorError('INVALID_ARGUMENT', (err as Error).message, 'validate-image');
    }
    const { ctx, volumes } = this;
    const key = imageKey(manifest);
    await ctx.locked(`image:${key}`, async () => {
      const pool = await ctx.step('lookup-pool', () => this.pool.require());
      if (await volumes.lookup(pool, ctx.names.imageVolume(key, 'ok'))) return;
      const parts = FILES.flatMap((k) => {
        const meta = manifest.files[k];
        const path = files[k];
        if (!meta) return [];
        if (!path) throw new HypervisorError('INVALID_ARGUMENT', `no local file for ${k}`, 'validate-image');
        return [{ k, meta, path }];
      });
      await ctx.step(
        'verify-local-checksum',
        async () => {
          // Local files are checked before a byte moves; streamed ones by the read-back below.
          for (const p of parts) {
            if (typeof p.path !== 'string') continue;
            const sum = await sha256File(p.path);
            if (sum !== p.meta.sha256)
              throw new HypervisorError(
                'CHECKSUM_MISMATCH',
                `${p.path}: sha256 ${sum}, manifest says ${p.meta.sha256}`,
              );
          }
        },
        'CHECKSUM_MISMATCH',
      );
      const total = parts.reduce((a, p) => a + p.meta.bytes, 0);
      await this.pool.requireSpace(pool, total, 'image-space');
      const r = new Reverter();
      try {
        for (const p of parts) {
          const name = ctx.names.imageVolume(key, p.k);
          await ctx.step('upload-image', async () => {
            await volumes.delete(pool, name); // leftovers of an interrupted upload
            const vol = await volumes.create(pool, { name, capacityBytes: p.meta.bytes, format: 'raw' });
            r.add(() => volumes.delete(pool, name));
            const source = typeof p.path === 'string' ? createReadStream(p.path) : await p.path();
            await ctx.lv.storageVolUpload(vol, source);
            const h = createHash('sha256');
            for await (const chunk of await ctx.lv.storageVolDownload(vol)) h.update(chunk as Buffer);
            const sum = h.digest('hex');
            if (sum !== p.meta.sha256)
              throw new HypervisorError('CHECKSUM_MISMATCH', `${name} on host has sha256 ${sum}`);
          });
        }
        await ctx.step('mark-image', async () => {
          const marker = ctx.names.imageVolume(key, 'ok');
          await volumes.uploadBuffer(pool, marker, Buffer.from(`${JSON.stringify(manifest)}\n`));
        });
        r.success();
      } finally {
        await ctx.settle(r, 'ensure-image', { image: manifest.name });
      }
    });
  }

  /** Deletes an image's volumes; refused while any overlay in the pool is backed by it. */
  async remove(manifest: ImageManifest): Promise<void> {
    const { ctx, volumes } = this;
    const key = imageKey(manifest);
    await ctx.locked(`image:${key}`, () =>
      ctx.step('remove-image', async () => {
        const pool = await this.pool.require();
        const base = await volumes.lookup(pool, ctx.names.imageVolume(key, 'root'));
        if (base && (await this.inUse(pool, await volumes.path(base))))
          throw new HypervisorError('INVALID_STATE', `image ${manifest.name} is in use by an instance disk`);
        // The marker goes first, so a crash half-way leaves an image that ensure() re-uploads.
        for (const f of ['ok', ...FILES] as const) await volumes.delete(pool, ctx.names.imageVolume(key, f));
      }),
    );
  }

  // True when one of our instance volumes has `basePath` as its backing file.
  private async inUse(pool: StoragePool, basePath: string): Promise<boolean> {
    const { lv, names } = this.ctx;
    for (const v of await lv.storagePoolListAllVolumes(pool)) {
      if (!v.name.startsWith(names.prefix) || v.name.includes('-img-')) continue;
      const xml = await lv.storageVolGetXmlDesc(v).catch(() => '');
      if (xml.includes(`<path>${basePath}</path>`) && /<backingStore>/.test(xml)) return true;
    }
    return false;
  }

  /** Paths of a cached image's files; IMAGE_NOT_FOUND when it is not (completely) on this host. */
  async paths(pool: StoragePool, manifest: ImageManifest): Promise<ImagePaths> {
    const { names } = this.ctx;
    const key = imageKey(manifest);
    if (!(await this.volumes.lookup(pool, names.imageVolume(key, 'ok'))))
      throw new HypervisorError('IMAGE_NOT_FOUND', `image ${manifest.name} is not on this host`);
    const path = async (f: (typeof FILES)[number]): Promise<string | undefined> => {
      if (!manifest.files[f]) return undefined;
      const v = await this.volumes.lookup(pool, names.imageVolume(key, f));
      if (!v) throw new HypervisorError('IMAGE_NOT_FOUND', `image ${manifest.name} lacks its ${f}`);
      return this.volumes.path(v);
    };
    const root = await path('root');
    if (root === undefined)
      throw new HypervisorError('IMAGE_NOT_FOUND', `image ${manifest.name} lacks its root`);
    const kernel = await path('kernel');
    const initrd = await path('initrd');
    return { root, ...(kernel ? { kernel } : {}), ...(initrd ? { initrd } : {}) };
  }
}
