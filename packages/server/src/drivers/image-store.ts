// ImageStore: the slot for image data (the `local` directory of one control plane, `s3` for many).
// Objects are content-addressed by the sha256 of their bytes: a put computes the hash while it
// streams, a read re-hashes and fails at the end when the bytes differ, so a corrupt object is
// never taken for an image. It must not know about the database or about hosts.
import type { Readable } from 'node:stream';
import type { ImageStoreConfig } from '../config-images.js';

export type { ImageStoreConfig };

/** A stored object: the key is the sha256 (hex) of exactly `bytes` bytes. */
export interface StoredObject {
  sha256: string;
  bytes: number;
}

/** What a put may be held to; a put that does not match leaves nothing stored. */
export interface PutExpectation {
  sha256?: string;
  bytes?: number;
  /** Told how many bytes have streamed so far (progress of a long put). */
  onProgress?(bytes: number): void;
}

/**
 * One image store. Every method is idempotent (a put of bytes already stored stores nothing new;
 * a removal of an absent object is fine), so a task can re-run any of them after a crash; a put
 * that dies half-way is never visible under its key.
 */
export interface ImageStore {
  /** Which driver this is (`local`, `s3`), for logs and the admin API. */
  readonly kind: string;
  /** Streams `data` in, hashing it on the way; the object appears under its hash only when whole. */
  put(data: Readable, expect?: PutExpectation): Promise<StoredObject>;
  /** The object's size, or undefined when the store has no such object. */
  stat(sha256: string): Promise<number | undefined>;
  /**
   * The object's bytes; the stream fails at its end with a CHECKSUM_MISMATCH ImageStoreError when
   * they do not hash to `sha256`, and at once with NOT_FOUND when there is no such object.
   */
  open(sha256: string): Promise<Readable>;
  /** Removes an object (no-op when absent). */
  remove(sha256: string): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Why an image store refused. */
export type ImageStoreErrorCode = 'NOT_FOUND' | 'CHECKSUM_MISMATCH' | 'SIZE_MISMATCH' | 'UNAVAILABLE';

/** A store's refusal, with a code callers test (never the message). */
export class ImageStoreError extends Error {
  constructor(
    readonly code: ImageStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageStoreError';
  }
}

/** Whether `err` is an ImageStoreError (of `code`, when given). */
export function isImageStoreError(err: unknown, code?: ImageStoreErrorCode): err is ImageStoreError {
  return err instanceof ImageStoreError && (code === undefined || err.code === code);
}

/** A valid object key: 64 lowercase hex digits. */
export const SHA256_KEY = /^[0-9a-f]{64}$/;

/**
 * Opens an image store; one factory per driver name. Synchronous: connections are made on first
 * use, so a store that is down delays image work, not kumod's start.
 */
export type ImageStoreFactory = (config: ImageStoreConfig) => ImageStore;
