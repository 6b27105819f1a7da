// Finds the credentials a Kumo client signs with: environment, then a user config file, then the file kumod writes.
// It only reads files; it never creates or rewrites them.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KumoConfigError } from './errors.js';

/** Default endpoint when neither the environment nor a file gives one. */
export const DEFAULT_ENDPOINT = 'https://127.0.0.1:8080';
/** Default region when neither the environment nor a file gives one. */
export const DEFAULT_REGION = 'local-1';
/** The file kumod writes on first start (mode 0600). */
export const SYSTEM_CREDENTIALS_FILE = '/var/lib/kumo/credentials.json';

/** Resolved credentials plus where they came from (for error messages). */
export interface KumoCredentials {
  accessKey: string;
  secretKey: string;
  endpoint: string;
  regionId: string;
  /** CA file to trust for an https endpoint with a self-signed certificate. */
  caFile?: string;
  source: string;
}

/** Where loadCredentials looks; overridable for tests. */
export interface CredentialSources {
  env?: Record<string, string | undefined>;
  homeDir?: string;
  systemFile?: string;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

const FILE_KEYS = ['accessKey', 'secretKey', 'endpoint', 'regionId', 'caFile'] as const;
type FileKey = (typeof FILE_KEYS)[number];

/** Reads a JSON credentials file; undefined if it does not exist, KumoConfigError if unusable. */
function readFile(path: string): Partial<Record<FileKey, string>> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new KumoConfigError(
        `Credentials file ${path} exists but cannot be read (permission denied); run as its owner or set KUMO_ACCESS_KEY and KUMO_SECRET_KEY`,
      );
    }
    throw new KumoConfigError(`Cannot read credentials file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KumoConfigError(`Credentials file ${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KumoConfigError(`Credentials file ${path} must hold a JSON object`);
  }
  const out: Partial<Record<FileKey, string>> = {};
  for (const k of FILE_KEYS) {
    const v = (parsed as Record<string, unknown>)[k];
    if (v !== undefined && typeof v !== 'string')
      throw new KumoConfigError(`${k} in ${path} must be a string`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Loads credentials: KUMO_ACCESS_KEY + KUMO_SECRET_KEY from the environment; else the JSON file named by
 * KUMO_CONFIG (which must exist) or ~/.kumo/config; else /var/lib/kumo/credentials.json. KUMO_ENDPOINT and
 * KUMO_REGION (and KUMO_CA_FILE) override what a file says; defaults are https://127.0.0.1:8080 and local-1.
 */
export function loadCredentials(sources: CredentialSources = {}): KumoCredentials {
  const env = sources.env ?? process.env;
  const envEndpoint = nonEmpty(env.KUMO_ENDPOINT);
  const envRegion = nonEmpty(env.KUMO_REGION);
  const envCa = nonEmpty(env.KUMO_CA_FILE);
  const ak = nonEmpty(env.KUMO_ACCESS_KEY);
  const sk = nonEmpty(env.KUMO_SECRET_KEY);
  if (ak !== undefined || sk !== undefined) {
    if (ak === undefined || sk === undefined) {
      throw new KumoConfigError('Set both KUMO_ACCESS_KEY and KUMO_SECRET_KEY, or neither');
    }
    return {
      accessKey: ak,
      secretKey: sk,
      endpoint: envEndpoint ?? DEFAULT_ENDPOINT,
      regionId: envRegion ?? DEFAULT_REGION,
      ...(envCa !== undefined && { caFile: envCa }),
      source: 'environment',
    };
  }
  const explicit = nonEmpty(env.KUMO_CONFIG);
  const candidates = explicit
    ? [explicit]
    : [join(sources.homeDir ?? homedir(), '.kumo', 'config'), sources.systemFile ?? SYSTEM_CREDENTIALS_FILE];
  for (const path of candidates) {
    const file = readFile(path);
    if (file === undefined) {
      if (explicit) throw new KumoConfigError(`KUMO_CONFIG names ${path}, which does not exist`);
      continue;
    }
    if (!nonEmpty(file.accessKey) || !nonEmpty(file.secretKey)) {
      throw new KumoConfigError(`Credentials file ${path} lacks accessKey or secretKey`);
    }
    return {
      accessKey: (file.accessKey as string).trim(),
      secretKey: (file.secretKey as string).trim(),
      endpoint: envEndpoint ?? nonEmpty(file.endpoint) ?? DEFAULT_ENDPOINT,
      regionId: envRegion ?? nonEmpty(file.regionId) ?? DEFAULT_REGION,
      ...((envCa ?? nonEmpty(file.caFile)) !== undefined && { caFile: envCa ?? nonEmpty(file.caFile) }),
      source: path,
    };
  }
  throw new KumoConfigError(
    `No Kumo credentials found: set KUMO_ACCESS_KEY and KUMO_SECRET_KEY, or KUMO_CONFIG, or create ${candidates.join(' or ')}`,
  );
}
