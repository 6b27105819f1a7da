// Where an image's files are on the control-plane machine, in the shape hosts upload them from.
// Shared by the image service (pre-pull) and the spawn/rebuild tasks; no policy.
import { join } from 'node:path';
import type { ImageFiles, ImageManifest } from '@kumo/hypervisor';
import type { ImageRecord } from '@kumo/store';

/** The manifest and local file paths of an image, for hosts to upload. */
export function imageFiles(i: ImageRecord): { manifest: ImageManifest; files: ImageFiles } {
  const manifest = i.manifest as ImageManifest;
  const at = (p: string | undefined) => (p === undefined ? undefined : join(i.filesDir, p));
  return {
    manifest,
    files: {
      root: at(manifest.files.root.path)!,
      ...(manifest.files.kernel ? { kernel: at(manifest.files.kernel.path) } : {}),
      ...(manifest.files.initrd ? { initrd: at(manifest.files.initrd.path) } : {}),
    },
  };
}

/** Whether an image may run an instance type. */
export function imageSupports(i: ImageRecord, instanceType: string): boolean {
  if (!i.constraint) return true;
  const listed = i.constraint.instanceTypes.includes(instanceType);
  return i.constraint.kind === 'includes' ? listed : !listed;
}
