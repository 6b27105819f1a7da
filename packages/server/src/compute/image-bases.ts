// Image bases a shared backend keeps (rbd: `img-<sha256>@base`, the parent of cloud system disks)
// live as long as an image names their content. Removal is a sweep of one backend rather than a
// step of deleteImage, because either side may go last: an image deleted while its last clone is
// still being deleted leaves the base to the clone's delete, and the image's delete removes a base
// whose clones are already gone. The backend keeps a base that is still cloned from.
import type { Logger } from '../logger.js';
import type { StorageBackend } from '../drivers/storage-backend.js';

/** Removes the bases of `backend` whose content no image names; returns the keys removed. */
export async function removeUnnamedBases(
  backend: StorageBackend,
  named: (sha256: string) => Promise<boolean>,
  log: Logger,
): Promise<string[]> {
  const removed: string[] = [];
  for (const key of await backend.listImageBases()) {
    if (await named(key)) continue;
    const r = await backend.removeImageBase(key);
    if (r === 'removed') removed.push(key);
  }
  if (removed.length > 0) log.info({ keys: removed }, 'removed image bases no image names');
  return removed;
}
