// Reads an image directory made by images/build.sh (manifest.json plus files) for tests and benches;
// it never builds one (packages/hypervisor/test/support.ts buildImage does).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageFiles, ImageManifest } from '@kumo/hypervisor';

/** An image built by images/build.sh, with its manifest and local file paths. */
export interface BuiltImage {
  dir: string;
  manifest: ImageManifest;
  files: ImageFiles;
}

/** Loads an image directory (manifest.json + files). */
export function loadImage(dir: string): BuiltImage {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ImageManifest;
  const f = manifest.files;
  const files: ImageFiles = { root: join(dir, f.root.path) };
  if (f.kernel) files.kernel = join(dir, f.kernel.path);
  if (f.initrd) files.initrd = join(dir, f.initrd.path);
  return { dir, manifest, files };
}
