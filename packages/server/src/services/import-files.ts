// Which files an admin importImage may read: regular files inside the configured import
// directories, after symlinks are resolved. Every refusal has one message, so the API is neither
// a file-existence oracle nor a way to read (or block on) anything else kumod can open.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Errors } from '@kumo/contract';

/** The largest manifest read into memory. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Resolves `path` to a regular file inside one of `dirs`, or throws the one refusal. */
export function importableFile(path: string, dirs: readonly string[], maxBytes?: number): string {
  const refuse = () =>
    Errors.invalidParameter(
      'manifestPath',
      'must name a manifest.json inside an image import directory (KUMO_IMAGE_IMPORT_DIRS)',
    );
  if (!isAbsolute(path)) throw refuse();
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw refuse();
  }
  if (!dirs.some((d) => within(real, d))) throw refuse();
  const st = statSync(real);
  // Not a FIFO, device or directory: reading one would block or mislead.
  if (!st.isFile() || (maxBytes !== undefined && st.size > maxBytes)) throw refuse();
  return real;
}

/** Whether `real` (already resolved) lies inside directory `dir` (resolved here). */
export function within(real: string, dir: string): boolean {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return false;
  }
  return real.startsWith(root.endsWith('/') ? root : `${root}/`);
}
