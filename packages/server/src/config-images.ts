// The image store part of kumod's configuration: which store (`local` in the data dir, or `s3`)
// and how to reach it. Parsed once, by parseConfig; its variables are listed in CONFIG_VARIABLES
// with the rest. The S3 secret key is read here and never logged.
import { join } from 'node:path';
import { ConfigError } from './config-error.js';

/** How kumod reaches its image store (parsed once in config-images.ts). */
export interface ImageStoreConfig {
  /** Driver name: `local` (default) or `s3`. */
  driver: string;
  /** The `local` store's directory. */
  localDir: string;
  /** The `s3` store's endpoint, bucket and credentials (secret never logged). */
  s3?: {
    endpoint: string;
    region: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    /** Multipart part size in bytes. */
    partBytes: number;
  };
  /**
   * The image exchange (importImage from `s3://`, exportImage): a bucket on the same S3 endpoint,
   * reached with the same credentials; each account reads and writes under `<its name>/` only.
   */
  exchange?: S3Settings;
}

type S3Settings = NonNullable<ImageStoreConfig['s3']>;

/** The variables of this section and their defaults (merged into CONFIG_VARIABLES). */
export const IMAGE_STORE_VARIABLES = {
  KUMO_IMAGE_STORE: 'local',
  KUMO_IMAGE_STORE_DIR: '',
  KUMO_IMAGE_S3_ENDPOINT: '',
  KUMO_IMAGE_S3_REGION: 'us-east-1',
  KUMO_IMAGE_S3_BUCKET: 'kumo-images',
  KUMO_IMAGE_S3_ACCESS_KEY: '',
  KUMO_IMAGE_S3_SECRET_KEY: '',
  KUMO_IMAGE_S3_PART_MB: '16',
  KUMO_IMAGE_EXCHANGE_BUCKET: '',
  KUMO_IMAGE_IMPORT_ALLOW_CIDRS: '',
} as const;

type Name = keyof typeof IMAGE_STORE_VARIABLES;

/** Parses the image store settings; a bad value stops kumod with a message naming the variable. */
export function parseImageStore(
  get: (name: Name) => string,
  int: (name: Name, min: number, max: number) => number,
  dataDir: string,
): ImageStoreConfig {
  const driver = get('KUMO_IMAGE_STORE');
  if (!/^[a-z0-9]+$/.test(driver))
    throw new ConfigError(`KUMO_IMAGE_STORE must be a driver name, got "${driver}"`);
  const localDir = get('KUMO_IMAGE_STORE_DIR') || join(dataDir, 'image-store');
  if (!localDir.startsWith('/') || localDir === '/')
    throw new ConfigError(
      `KUMO_IMAGE_STORE_DIR must be an absolute directory other than /, got "${localDir}"`,
    );
  const exchangeBucket = get('KUMO_IMAGE_EXCHANGE_BUCKET');
  if (driver !== 's3' && !exchangeBucket) return { driver, localDir };
  const s3 = parseS3(get, int, driver === 's3' ? 'KUMO_IMAGE_STORE=s3' : 'KUMO_IMAGE_EXCHANGE_BUCKET');
  if (exchangeBucket && !BUCKET.test(exchangeBucket))
    throw new ConfigError(`KUMO_IMAGE_EXCHANGE_BUCKET must be an S3 bucket name, got "${exchangeBucket}"`);
  if (exchangeBucket && driver === 's3' && exchangeBucket === s3.bucket)
    throw new ConfigError('KUMO_IMAGE_EXCHANGE_BUCKET must not be the image store bucket');
  return {
    driver,
    localDir,
    ...(driver === 's3' ? { s3 } : {}),
    ...(exchangeBucket ? { exchange: { ...s3, bucket: exchangeBucket } } : {}),
  };
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The S3 endpoint and credentials; `user` names the setting that needs them, for the message. */
function parseS3(
  get: (name: Name) => string,
  int: (name: Name, min: number, max: number) => number,
  user: string,
): S3Settings {
  const endpoint = get('KUMO_IMAGE_S3_ENDPOINT');
  if (!/^https?:\/\/[^\s/]+/.test(endpoint))
    throw new ConfigError(`KUMO_IMAGE_S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
  const bucket = get('KUMO_IMAGE_S3_BUCKET');
  if (!BUCKET.test(bucket))
    throw new ConfigError(`KUMO_IMAGE_S3_BUCKET must be an S3 bucket name, got "${bucket}"`);
  const accessKeyId = get('KUMO_IMAGE_S3_ACCESS_KEY');
  const secretAccessKey = get('KUMO_IMAGE_S3_SECRET_KEY');
  // Never the value: it is a credential.
  if (!accessKeyId || !secretAccessKey)
    throw new ConfigError(`${user} needs KUMO_IMAGE_S3_ACCESS_KEY and KUMO_IMAGE_S3_SECRET_KEY`);
  return {
    endpoint,
    region: get('KUMO_IMAGE_S3_REGION'),
    bucket,
    accessKeyId,
    secretAccessKey,
    // S3's multipart limits: parts of 5 MiB at least, 10,000 parts at most.
    partBytes: int('KUMO_IMAGE_S3_PART_MB', 5, 1024) * 2 ** 20,
  };
}

/** importImage's reach: ranges beyond the public internet its URLs may point into. */
export interface ImageImportConfig {
  /** CIDRs (the operator's mirrors; a lab's loopback) allowed although private, loopback or reserved. */
  allowCidrs: string[];
}

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/(3[0-2]|[12]?\d)|[0-9a-f:]+:[0-9a-f:]*\/(12[0-8]|1[01]\d|[1-9]?\d))$/i;

/** Parses KUMO_IMAGE_IMPORT_ALLOW_CIDRS (comma-separated; empty: public addresses only). */
export function parseImageImport(get: (name: Name) => string): ImageImportConfig {
  const raw = get('KUMO_IMAGE_IMPORT_ALLOW_CIDRS').trim();
  const allowCidrs = raw ? raw.split(',').map((c) => c.trim()) : [];
  for (const c of allowCidrs) {
    const v4 = c.includes('.');
    if (
      !CIDR.test(c) ||
      (v4 &&
        c
          .split('/')[0]!
          .split('.')
          .some((o) => Number(o) > 255))
    )
      throw new ConfigError(`KUMO_IMAGE_IMPORT_ALLOW_CIDRS must list CIDRs such as 10.0.0.0/8, got "${c}"`);
  }
  return { allowCidrs };
}
