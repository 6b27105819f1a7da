// Public API of @kumo/storage: the storage backends of an AZ (`local` dir pools per host, `rbd`
// on Ceph) behind one interface; re-exports only.
export type { Attachment, DiskBackend, ImageOrigin, StorageHost, VolumeOrigin } from './backend.js';
export { StorageError, isStorageError, type StorageErrorCode } from './errors.js';
export { LocalBackend, type LocalOptions } from './local.js';
export { RbdBackend, type RbdOptions } from './rbd.js';
export type { CephAccess } from './rbd-cli.js';
export { chooseTarget, diskDeviceXml, domainDisks, type DiskDevice, type DiskSource } from './disk-xml.js';
