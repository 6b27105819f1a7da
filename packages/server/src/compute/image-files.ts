// Where an image's files come from, in the shape hosts upload them from: the image store's
// objects (keyed by each file's sha256), or for images registered before the store existed the
// files beside their manifest. Shared by the image service (pre-pull) and the spawn/rebuild
// tasks; no policy.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ImageFileSource, ImageFiles, ImageManifest } from '@kumo/hypervisor';
import type { ImageOrigin } from '@kumo/storage';
import type { ImageRecord } from '@kumo/store';
import type { ImageStore } from '../drivers/image-store.js';

/** The manifest and the file sources of an image, for hosts to upload. */
export async function imageFiles(
  i: ImageRecord,
  store: ImageStore,
): Promise<{ manifest: ImageManifest; files: ImageFiles }> {
  const manifest = i.manifest as ImageManifest;
  const source = async (f: { path: string; sha256: string; bytes: number }): Promise<ImageFileSource> => {
    if ((await store.stat(f.sha256)) === f.bytes) return () => store.open(f.sha256);
    // Images imported before the store existed still have their files beside the manifest.
    if (i.filesDir) return join(i.filesDir, f.path);
    throw new Error(`image ${i.id}: object ${f.sha256} is missing from the ${store.kind} image store`);
  };
  const { root, kernel, initrd } = manifest.files;
  return {
    manifest,
    files: {
      root: await source(root),
      ...(kernel ? { kernel: await source(kernel) } : {}),
      ...(initrd ? { initrd: await source(initrd) } : {}),
    },
  };
}

/**
 * The root file of an image as a shared storage backend reads it to make its base (an rbd pool
 * keeps one per image, and root disks are clones of it). Images' roots are qcow2 files.
 */
export async function imageOrigin(i: ImageRecord, store: ImageStore): Promise<ImageOrigin> {
  const { root } = (await imageFiles(i, store)).files;
  const key = (i.manifest as ImageManifest).files.root.sha256;
  return {
    key,
    format: 'qcow2',
    open: async () => (typeof root === 'string' ? createReadStream(root) : root()),
  };
}

/**
 * Puts an image's files into the store unless they are there (images imported before the store
 * existed), so an image derived from it (createImage keeps its kernel and initrd) has all its data
 * in the store. The store checks each file against the manifest's size and hash.
 */
export async function ensureSourceFilesInStore(i: ImageRecord, store: ImageStore): Promise<void> {
  for (const f of Object.values((i.manifest as ImageManifest).files)) {
    if (!f || (await store.stat(f.sha256)) === f.bytes) continue;
    if (!i.filesDir) throw new Error(`image ${i.id}: object ${f.sha256} is missing from the image store`);
    await store.put(createReadStream(join(i.filesDir, f.path)), { sha256: f.sha256, bytes: f.bytes });
  }
}

/** Whether an image may run an instance type. */
export function imageSupports(i: ImageRecord, instanceType: string): boolean {
  if (!i.constraint) return true;
  const listed = i.constraint.instanceTypes.includes(instanceType);
  return i.constraint.kind === 'includes' ? listed : !listed;
}
