// JD Cloud request signing and verification (JDCLOUD2- and JDCLOUD3-HMAC-SHA256); pure (node:crypto only), no I/O, no clock-skew or nonce policy.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  JDCLOUD3_SCOPE_TERMINATOR,
  JDCLOUD3_SIGNING_ALGORITHM,
  JDCLOUD_SCOPE_TERMINATOR,
  JDCLOUD_SIGNING_ALGORITHM,
  type SigningAlgorithm,
} from './authorization.js';

export * from './authorization.js';

/** Hex sha256 of the empty string: the payload hash of every GET and DELETE the SDKs send. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Headers a signer must never sign. The SDKs skip authorization and user-agent; the request id is
 * added by proxies and gateways after signing; the rest are rewritten by HTTP stacks in transit.
 */
export const UNSIGNABLE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'user-agent',
  'x-jdcloud-request-id',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'accept-encoding',
  'expect',
]);

/** Everything needed to compute one request's signature, as the server sees it on the wire. */
export interface SignatureInput {
  method: string;
  /** Path as sent on the wire, undecoded. */
  path: string;
  /** Raw query string without '?', undecoded. */
  query: string;
  /** Request headers keyed by lower-case name. */
  headers: Record<string, string | string[] | undefined>;
  signedHeaders: string[];
  bodySha256Hex: string;
  secretKey: string;
  /** The x-jdcloud-date header, YYYYMMDDTHHmmssZ. */
  date: string;
  regionId: string;
  service: string;
  /**
   * Which algorithm to compute. When absent, the one named by `headers.authorization` is used, so a
   * verifier that passes the received headers handles both versions; JDCLOUD2 if that is absent too.
   */
  algorithm?: SigningAlgorithm;
}

/** Hex sha256 of a string (UTF-8) or of raw bytes. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/**
 * Canonical URI: the path percent-decoded to bytes, then every byte outside RFC 3986 unreserved
 * characters and '/' encoded as upper-case %XX. The Go SDK signs exactly the escaped path it sends
 * (':' as %3A); the Python SDK sends ':' raw but signs urllib's quote(path), which also gives %3A;
 * the Node SDK sends and signs an encodeURIComponent'd path. Decoding first makes all three agree.
 */
export function canonicalUri(rawPath: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath[i] as string;
    if (c === '%' && isHex(rawPath[i + 1]) && isHex(rawPath[i + 2])) {
      bytes.push(parseInt(rawPath.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const cp = rawPath.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length - 1;
    }
  }
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    out +=
      b < 0x80 && (ch === '/' || UNRESERVED.test(ch))
        ? ch
        : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out.length === 0 ? '/' : out;
}

/**
 * Canonical query: the raw query split on '&' (empty pieces dropped), each piece split on '=' and
 * trimmed, a missing value becoming '' and extra '=' becoming %3D, then sorted by key and then value
 * (never by the joined "k=v" text, which would put "a.b" before "a") and joined as k=v with '&'.
 * Values are NOT re-encoded: every SDK signs the encoded text it sends (Go '+' for space, Python %20).
 */
export function canonicalQuery(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece.length === 0) continue;
    const parts = piece.split('=').map((p) => p.trim());
    pairs.push([parts[0] as string, parts.slice(1).join('%3D')]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** One JDCLOUD2 header value: repeated values joined with ',', trimmed, inner whitespace runs collapsed (as Go and Node do). */
function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

/** Percent-decodes like Python's unquote_plus: '+' is a space, malformed escapes stay literal, bytes read as UTF-8. */
function unquotePlus(s: string): string {
  const bytes: number[] = [];
  const t = s.replace(/\+/g, ' ');
  for (let i = 0; i < t.length; i++) {
    const c = t[i] as string;
    if (c === '%' && isHex(t[i + 1]) && isHex(t[i + 2])) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const ch = String.fromCodePoint(t.codePointAt(i) as number);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Percent-encodes UTF-8 bytes except RFC 3986 unreserved characters and those in `safe`, upper-case hex. */
function quote(s: string, safe: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out +=
      b < 0x80 && (UNRESERVED.test(ch) || safe.includes(ch))
        ? ch
        : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * JDCLOUD3 canonical URI: decode (with '+' as space), collapse repeated '/', re-encode everything but
 * unreserved characters and '/', and make sure it starts with '/'.
 */
export function canonicalUriV3(rawPath: string): string {
  const decoded = unquotePlus(rawPath).replace(/\/+/g, '/');
  if (decoded === '') return '/';
  const encoded = quote(decoded, '/');
  return encoded.startsWith('/') ? encoded : '/' + encoded;
}

/**
 * JDCLOUD3 canonical query: each piece split at its first '=', key and value decoded (with '+' as space)
 * and re-encoded (only unreserved characters bare), sorted by key then value; pieces with an empty key or
 * no '=' at all are left out, as the Python SDK does.
 */
export function canonicalQueryV3(rawQuery: string): string {
  const lists: string[][] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    const parts = eq < 0 ? [piece] : [piece.slice(0, eq), piece.slice(eq + 1)];
    lists.push(parts.map((p) => quote(unquotePlus(p), '')));
  }
  lists.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i] as string;
      const y = b[i] as string;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a.length - b.length;
  });
  return lists
    .filter((p) => p[0] !== '' && p.length === 2)
    .map((p) => `${p[0]}=${p[1]}`)
    .join('&');
}

/** One JDCLOUD3 header value: each value trimmed, repeated values joined with ','; inner whitespace kept. */
function canonicalHeaderValueV3(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.map((v) => v.trim()).join(',') : (value ?? '').trim();
}

/** How each algorithm version canonicalises and derives its key. */
const VERSIONS = {
  [JDCLOUD_SIGNING_ALGORITHM]: {
    keyPrefix: 'JDCLOUD2',
    terminator: JDCLOUD_SCOPE_TERMINATOR,
    uri: canonicalUri,
    query: canonicalQuery,
    headerValue: canonicalHeaderValue,
  },
  [JDCLOUD3_SIGNING_ALGORITHM]: {
    keyPrefix: 'JDCLOUD3',
    terminator: JDCLOUD3_SCOPE_TERMINATOR,
    uri: canonicalUriV3,
    query: canonicalQueryV3,
    headerValue: canonicalHeaderValueV3,
  },
} as const;

/** The algorithm an input asks for: explicit, else named by its Authorization header, else JDCLOUD2. */
function algorithmOf(input: SignatureInput): SigningAlgorithm {
  if (input.algorithm) return input.algorithm;
  const auth = input.headers.authorization;
  const first = Array.isArray(auth) ? auth[0] : auth;
  return first?.trimStart().startsWith(JDCLOUD3_SIGNING_ALGORITHM + ' ')
    ? JDCLOUD3_SIGNING_ALGORITHM
    : JDCLOUD_SIGNING_ALGORITHM;
}

/** The canonical request text that is hashed into the string to sign; exported for debug logging. */
export function buildCanonicalRequest(input: SignatureInput): string {
  const v = VERSIONS[algorithmOf(input)];
  const names = input.signedHeaders.map((h) => h.toLowerCase());
  const headerLines = names.map((h) => `${h}:${v.headerValue(input.headers[h])}\n`).join('');
  return [
    input.method.toUpperCase(),
    v.uri(input.path),
    v.query(input.query),
    headerLines,
    names.join(';'),
    input.bodySha256Hex.toLowerCase(),
  ].join('\n');
}

/** Credential scope `<yyyymmdd>/<region>/<service>/jdcloud2_request` (jdcloud3_request for JDCLOUD3); the day is the x-jdcloud-date's. */
export function credentialScope(
  date: string,
  regionId: string,
  service: string,
  algorithm: SigningAlgorithm = JDCLOUD_SIGNING_ALGORITHM,
): string {
  return `${date.slice(0, 8)}/${regionId}/${service}/${VERSIONS[algorithm].terminator}`;
}

/** Computes the hex signature of a request: canonical request → string to sign → HMAC chain. */
export function computeSignature(input: SignatureInput): string {
  const algorithm = algorithmOf(input);
  const v = VERSIONS[algorithm];
  const scope = credentialScope(input.date, input.regionId, input.service, algorithm);
  const stringToSign = [
    algorithm,
    input.date,
    scope,
    sha256Hex(buildCanonicalRequest({ ...input, algorithm })),
  ].join('\n');
  const kDate = hmac(v.keyPrefix + input.secretKey, input.date.slice(0, 8));
  const kRegion = hmac(kDate, input.regionId);
  const kService = hmac(kRegion, input.service);
  const kSigning = hmac(kService, v.terminator);
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures (false when lengths differ). */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Formats a Date as x-jdcloud-date (`YYYYMMDDTHHmmssZ`, UTC). */
export function formatJdDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** What signRequest needs: the request as it will be sent, and the credentials to sign it with. */
export interface SignRequestInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | Buffer;
  accessKey: string;
  secretKey: string;
  regionId: string;
  /** Defaults to 'vm'. */
  service?: string;
  now?: Date;
  nonce?: string;
  /** Defaults to JDCLOUD2-HMAC-SHA256, which every SDK generation's servers accept. */
  algorithm?: SigningAlgorithm;
}

/**
 * Signs a request like the SDKs do and returns the headers to send (lower-case names): the caller's
 * headers plus content-type (default application/json), host, x-jdcloud-date, x-jdcloud-nonce and
 * authorization. Every returned header except the unsignable ones is signed. The URL's pathname
 * and search must be sent exactly as they are in `url`.
 */
export function signRequest(req: SignRequestInput): Record<string, string> {
  const service = req.service ?? 'vm';
  const algorithm = req.algorithm ?? JDCLOUD_SIGNING_ALGORITHM;
  const date = formatJdDate(req.now ?? new Date());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  delete headers.authorization;
  headers['content-type'] ??= 'application/json';
  headers.host = req.url.host;
  headers['x-jdcloud-date'] = date;
  headers['x-jdcloud-nonce'] = req.nonce ?? randomUUID();
  const signedHeaders = Object.keys(headers)
    .filter((h) => !UNSIGNABLE_HEADERS.has(h))
    .sort();
  const signature = computeSignature({
    method: req.method,
    path: req.url.pathname,
    query: req.url.search.replace(/^\?/, ''),
    headers,
    signedHeaders,
    bodySha256Hex: sha256Hex(req.body),
    secretKey: req.secretKey,
    date,
    regionId: req.regionId,
    service,
    algorithm,
  });
  headers.authorization =
    `${algorithm} Credential=${req.accessKey}/${credentialScope(date, req.regionId, service, algorithm)}, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}
