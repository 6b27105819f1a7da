// Where an image's files come from, in the shape hosts upload them from: the image store's
// objects (keyed by each file's sha256), or for images registered before the store existed the
// files beside their manifest. Shared by the image service (pre-pull) and the spawn/rebuild
// tasks; no policy.
import { join } from 'node:path';
import type { ImageFileSource, ImageFiles, ImageManifest } from '@kumo/hypervisor';
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

/** Whether an image may run an instance type. */
export function imageSupports(i: ImageRecord, instanceType: string): boolean {
  if (!i.constraint) return true;
  const listed = i.constraint.instanceTypes.includes(instanceType);
  return i.constraint.kind === 'includes' ? listed : !listed;
}
