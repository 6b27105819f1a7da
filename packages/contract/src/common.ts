// Wire pieces every resource shares: the JD envelopes, list filters and paging, the shapes of ids
// and names, and how a route declares its errors. No behaviour beyond pattern constants.
/** The JD success envelope; `result` is absent for operations without result fields. */
export interface SuccessEnvelope<T> {
  requestId: string;
  result?: T;
}

/** The JD error envelope; HTTP status equals `error.code`. */
export interface ErrorEnvelope {
  requestId: string;
  error: { code: number; status: string; message: string };
}

/** A list filter: values OR together, filters AND together; operator defaults to "eq". */
export interface Filter {
  name: string;
  operator?: string;
  values: string[];
}

/** A tag filter. */
export interface TagFilter {
  key: string;
  values: string[];
}

/** Paging for describe* lists: pageNumber ≥ 1 (default 1), pageSize in [10, 100] (default 20). */
export interface Paging {
  pageNumber?: number;
  pageSize?: number;
}

/**
 * The shape of every id Kumo hands out (prefix + lowercase alphanumerics, as @kumo/store's
 * generators make them). An id of another shape cannot exist, so callers answer NOT_FOUND early.
 */
export const ID_PATTERNS = {
  instance: /^i-[a-z0-9]{12}$/,
  image: /^img-[a-z0-9]{12}$/,
  subnet: /^subnet-[a-z0-9]{10}$/,
} as const;

/** JD's instance name rule: 1-32 Chinese characters, letters, digits, `_` or `-`. */
export const INSTANCE_NAME = /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u;
/** A guest hostname: one DNS label, lower case, '-' not at either end, 1–63 characters. */
export const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** What {@link INSTANCE_NAME} means, for error messages. */
export const INSTANCE_NAME_RULE = 'use 1-32 Chinese characters, letters, digits, "_" or "-"';
/** JD's image name rule: like an instance name, and `.` is allowed. */
export const IMAGE_NAME = /^[\p{Script=Han}A-Za-z0-9._-]{1,32}$/u;
/** JD's keypair name rule: letters, digits, `_` and `-`, at most 32 characters. */
export const KEY_NAME = /^[A-Za-z0-9_-]{1,32}$/;
/** A region id such as `cn-north-1`. */
export const REGION_ID = /^[a-z][a-z0-9-]{0,30}[0-9]$/;
/** A libvirt URI Kumo can manage: the system instance over unix, tcp, tls or ssh. */
export const LIBVIRT_URI = /^qemu(\+(unix|tcp|tls|ssh))?:\/\/[^\s]*\/system(\?[^\s]*)?$/;

/** A dotted-quad IPv4 address. */
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
