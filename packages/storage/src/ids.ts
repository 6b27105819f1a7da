// The one check every id that becomes a volume, image, pool or secret name passes.
import { StorageError } from './errors.js';

/** Returns `id` when it is a safe object name (letters, digits, `-`, `_`, `.`), else INVALID_ARGUMENT. */
export function checkId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(id))
    throw new StorageError('INVALID_ARGUMENT', `bad name ${JSON.stringify(id)}`);
  return id;
}
