// Errors of the storage backends, by code; libvirt and rbd failures are translated where they enter.

/** What went wrong, as callers branch on it. */
export type StorageErrorCode =
  /** The volume, snapshot or domain does not exist. */
  | 'NOT_FOUND'
  /** Other objects depend on it (clones of a snapshot, snapshots of a disk). */
  | 'HAS_DEPENDENTS'
  /** The request cannot be met as given (e.g. a device name in use). */
  | 'INVALID_ARGUMENT'
  /** The backend or the host did not answer: try again later. */
  | 'UNAVAILABLE'
  /** Anything else. */
  | 'FAILED';

/** An error of a storage backend. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True when `err` is a StorageError (of `code`, when given). */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
