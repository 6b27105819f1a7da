// Typed libvirt errors: the remote_error payload, error codes and predicates that test codes (never message text).
import type { XdrReader } from './xdr.js';

/** libvirt error codes (virErrorNumber) that callers commonly test. */
export const ErrorCode = {
  INTERNAL_ERROR: 1,
  NO_MEMORY: 2,
  NO_SUPPORT: 3,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  OPERATION_DENIED: 29,
  RPC: 39,
  NO_DOMAIN: 42,
  NO_NETWORK: 43,
  AUTH_FAILED: 45,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  OPERATION_INVALID: 55,
  NO_SECRET: 66,
  NO_NWFILTER: 62,
  OPERATION_TIMEOUT: 68,
  OPERATION_ABORTED: 78,
  AUTH_CANCELLED: 79,
  NO_DOMAIN_SNAPSHOT: 72,
  OPERATION_UNSUPPORTED: 84,
  ACCESS_DENIED: 88,
  STORAGE_VOL_EXIST: 90,
  AUTH_UNAVAILABLE: 94,
  NO_SERVER: 95,
  NO_CLIENT: 96,
  AGENT_UNRESPONSIVE: 86,
} as const;

/** libvirt error domains (virErrorDomain) seen from the remote driver. */
export const ErrorDomain = {
  NONE: 0,
  QEMU: 10,
  RPC: 7,
  REMOTE: 13,
  STORAGE: 18,
  NETWORK: 19,
  DOMAIN: 20,
  NWFILTER: 33,
  STREAMS: 38,
} as const;

/** Client-side error codes for failures that never reached libvirtd (negative so they never clash with libvirt's). */
export const ClientErrorCode = {
  /** The connection closed or failed while the call was pending. */
  CONNECTION_CLOSED: -1,
  /** The peer sent bytes that do not decode (bad framing or XDR). */
  PROTOCOL: -2,
  /** No keepalive answer within the configured bound. */
  KEEPALIVE_TIMEOUT: -3,
  /** The call did not complete within its timeout. */
  TIMEOUT: -4,
  /** The server offers only authentication methods this client does not implement (SASL). */
  AUTH_UNSUPPORTED: -5,
  /** A stream was aborted by this side. */
  STREAM_ABORTED: -6,
} as const;

/** Fields of libvirt's remote_error as received, plus the procedure that failed. */
export interface LibvirtErrorFields {
  code: number;
  domain: number;
  message: string;
  level: number;
  str1: string | null;
  str2: string | null;
  str3: string | null;
  int1: number;
  int2: number;
}

/** An error reported by libvirtd (code > 0) or by this client (ClientErrorCode, code < 0). */
export class LibvirtError extends Error implements LibvirtErrorFields {
  override readonly name = 'LibvirtError';
  readonly code: number;
  readonly domain: number;
  readonly level: number;
  readonly str1: string | null;
  readonly str2: string | null;
  readonly str3: string | null;
  readonly int1: number;
  readonly int2: number;
  /** Procedure number of the call that failed, when known. */
  readonly procedure: number | undefined;

  constructor(
    f: Partial<LibvirtErrorFields> & { code: number; message: string },
    procedure?: number,
    cause?: unknown,
  ) {
    super(f.message, cause === undefined ? undefined : { cause });
    this.code = f.code;
    this.domain = f.domain ?? 0;
    this.level = f.level ?? 2;
    this.str1 = f.str1 ?? null;
    this.str2 = f.str2 ?? null;
    this.str3 = f.str3 ?? null;
    this.int1 = f.int1 ?? 0;
    this.int2 = f.int2 ?? 0;
    this.procedure = procedure;
  }
}

/** Decodes a remote_error payload (the two always-absent object pointers are still parsed). */
export function readRemoteError(r: XdrReader, procedure?: number): LibvirtError {
  const code = r.int();
  const domain = r.int();
  const message = r.optional((x) => x.string());
  const level = r.int();
  r.optional((x) => {
    x.string();
    x.opaqueFixed(16);
    x.int();
  });
  const str1 = r.optional((x) => x.string());
  const str2 = r.optional((x) => x.string());
  const str3 = r.optional((x) => x.string());
  const int1 = r.int();
  const int2 = r.int();
  r.optional((x) => {
    x.string();
    x.opaqueFixed(16);
  });
  return new LibvirtError(
    { code, domain, message: message ?? `libvirt error ${code}`, level, str1, str2, str3, int1, int2 },
    procedure,
  );
}

const hasCode = (err: unknown, code: number): boolean => err instanceof LibvirtError && err.code === code;

/** True for "domain not found". */
export const isNoDomain = (err: unknown): boolean => hasCode(err, ErrorCode.NO_DOMAIN);
/** True for "network not found". */
export const isNoNetwork = (err: unknown): boolean => hasCode(err, ErrorCode.NO_NETWORK);
/** True for "storage pool not found". */
export const isNoStoragePool = (err: unknown): boolean => hasCode(err, ErrorCode.NO_STORAGE_POOL);
/** True for "storage volume not found". */
export const isNoStorageVol = (err: unknown): boolean => hasCode(err, ErrorCode.NO_STORAGE_VOL);
/** True for "network filter not found". */
export const isNoNwfilter = (err: unknown): boolean => hasCode(err, ErrorCode.NO_NWFILTER);
/** True for "secret not found". */
export const isNoSecret = (err: unknown): boolean => hasCode(err, ErrorCode.NO_SECRET);
/** True for any "object not found" code (domain, network, pool, volume, nwfilter, secret). */
export const isNotFound = (err: unknown): boolean =>
  isNoDomain(err) ||
  isNoNetwork(err) ||
  isNoStoragePool(err) ||
  isNoStorageVol(err) ||
  isNoNwfilter(err) ||
  isNoSecret(err);
/** True when the object is in the wrong state for the operation (e.g. "domain is not running"). */
export const isOperationInvalid = (err: unknown): boolean => hasCode(err, ErrorCode.OPERATION_INVALID);
/** True when the volume already exists. */
export const isStorageVolExists = (err: unknown): boolean => hasCode(err, ErrorCode.STORAGE_VOL_EXIST);
/** True for OPERATION_FAILED, which libvirt uses among other things for "already exists". */
export const isOperationFailed = (err: unknown): boolean => hasCode(err, ErrorCode.OPERATION_FAILED);
/** True when the connection to libvirtd was lost or closed (a client-side condition). */
export const isConnectionClosed = (err: unknown): boolean =>
  hasCode(err, ClientErrorCode.CONNECTION_CLOSED) || hasCode(err, ClientErrorCode.KEEPALIVE_TIMEOUT);
