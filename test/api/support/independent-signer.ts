// A second, from-scratch JDCLOUD2/JDCLOUD3-HMAC-SHA256 signer for API tests; it shares no code with packages/contract
// (own canonicalisation, own HMAC chain) so tests can prove kumod accepts what an independent implementation sends.
import * as crypto from 'node:crypto';

/** One request to sign, described as it will go on the wire. */
export interface IndependentSignInput {
  method: 'GET' | 'POST' | 'DELETE' | string;
  /** Full URL; its path and query are signed exactly as they will be sent. */
  url: string;
  /** Extra headers to send and sign (names in any case). */
  headers?: Record<string, string>;
  body?: string;
  accessKey: string;
  secretKey: string;
  regionId: string;
  service?: string;
  /** Signing instant; defaults to now. */
  at?: Date;
  nonce?: string;
  /** Sign the action colon the way the Go SDK sends it (%3A) instead of raw like the Python SDK. */
  escapeColon?: boolean;
  /** 2 (Go, Node, old Python SDKs; default) or 3 (Python SDK since 1.6.95). */
  version?: 2 | 3;
  /**
   * Sign only content-type and host, as the Python SDK's JDCLOUD3 signer does (it adds x-jdcloud-date and
   * x-jdcloud-nonce after signing); the date is still covered through the string to sign.
   */
  pythonV3Headers?: boolean;
}

/** The headers to send plus the wire path and query that were signed. */
export interface IndependentSignOutput {
  headers: Record<string, string>;
  /** The path and query to put on the request line ('/v1/...?...'). */
  pathAndQuery: string;
  /** Intermediate strings, for diagnosing a mismatch. */
  canonicalRequest: string;
  stringToSign: string;
}

const hexDigest = (data: string): string =>
  crypto.createHash('sha256').update(Buffer.from(data, 'utf8')).digest('hex');
const mac = (key: crypto.BinaryLike, msg: string): Buffer =>
  crypto.createHmac('sha256', key).update(Buffer.from(msg, 'utf8')).digest();

/** RFC 3986 escaping of one decoded path segment (everything but ALPHA / DIGIT / "-" / "." / "_" / "~"). */
function escapeSegment(decoded: string): string {
  return Array.from(Buffer.from(decoded, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /^[A-Za-z0-9._~-]$/.test(c) ? c : '%' + byte.toString(16).padStart(2, '0').toUpperCase();
    })
    .join('');
}

/** Canonical path: each '/'-separated segment decoded and re-escaped, so ':' always signs as %3A. */
function canonicalPath(wirePath: string): string {
  if (wirePath === '') return '/';
  return wirePath
    .split('/')
    .map((segment) => escapeSegment(decodeURIComponent(segment)))
    .join('/');
}

/** Canonical query: k=v pairs (v '' when absent) ordered by key, then by value; values left as sent. */
function canonicalQueryString(wireQuery: string): string {
  const entries = wireQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      return i === -1
        ? { k: p, v: '' }
        : { k: p.substring(0, i), v: p.substring(i + 1).replace(/=/g, '%3D') };
    });
  entries.sort((x, y) => (x.k === y.k ? (x.v === y.v ? 0 : x.v < y.v ? -1 : 1) : x.k < y.k ? -1 : 1));
  return entries.map((e) => e.k + '=' + e.v).join('&');
}

/** Python-style unquote_plus of one query component or path into a string ('+' is space; bad escapes kept). */
function decodeLoosely(text: string): string {
  const spaced = text.split('+').join(' ');
  const out: number[] = [];
  let i = 0;
  while (i < spaced.length) {
    const hex = spaced.substring(i + 1, i + 3);
    if (spaced[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 3;
    } else {
      const cp = spaced.codePointAt(i) as number;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out.push(b);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/** Version 3 path: loosely decoded, '/' runs collapsed, each segment escaped, leading '/' ensured. */
function canonicalPathV3(wirePath: string): string {
  const collapsed = decodeLoosely(wirePath).replace(/\/{2,}/g, '/');
  if (collapsed === '') return '/';
  const escaped = collapsed.split('/').map(escapeSegment).join('/');
  return escaped[0] === '/' ? escaped : `/${escaped}`;
}

/** Version 3 query: split at the first '=', both sides decoded then escaped; keyless or '='-less pairs dropped. */
function canonicalQueryV3(wireQuery: string): string {
  type Pair = { k: string; v: string | undefined };
  const entries: Pair[] = wireQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = escapeSegment(decodeLoosely(i === -1 ? p : p.substring(0, i)));
      return { k, v: i === -1 ? undefined : escapeSegment(decodeLoosely(p.substring(i + 1))) };
    });
  entries.sort((x, y) => {
    if (x.k !== y.k) return x.k < y.k ? -1 : 1;
    if (x.v === y.v) return 0;
    if (x.v === undefined) return -1;
    if (y.v === undefined) return 1;
    return x.v < y.v ? -1 : 1;
  });
  return entries
    .filter((e) => e.k !== '' && e.v !== undefined)
    .map((e) => `${e.k}=${e.v}`)
    .join('&');
}

/** Signs one request from the public description of the algorithm and returns what to send. */
export function independentSign(input: IndependentSignInput): IndependentSignOutput {
  const u = new URL(input.url);
  const service = input.service ?? 'vm';
  const at = input.at ?? new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const stamp = `${day}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`;

  // The path goes on the wire either with the colon raw (Python SDK) or escaped (Go SDK).
  let wirePath = u.pathname;
  if (input.escapeColon) wirePath = wirePath.split(':').join('%3A');
  const wireQuery = u.search.startsWith('?') ? u.search.substring(1) : u.search;

  const toSign = new Map<string, string>();
  for (const [name, value] of Object.entries(input.headers ?? {})) toSign.set(name.toLowerCase(), value);
  if (!toSign.has('content-type')) toSign.set('content-type', 'application/json');
  toSign.set('host', u.host);
  toSign.set('x-jdcloud-date', stamp);
  toSign.set('x-jdcloud-nonce', input.nonce ?? crypto.randomUUID());
  const names = [...toSign.keys()]
    .filter((n) => n !== 'authorization' && n !== 'user-agent')
    .filter((n) => !input.pythonV3Headers || n === 'content-type' || n === 'host')
    .sort();

  const v = input.version ?? 2;
  const path = v === 3 ? canonicalPathV3(wirePath) : canonicalPath(wirePath);
  const query = v === 3 ? canonicalQueryV3(wireQuery) : canonicalQueryString(wireQuery);
  const canonicalRequest =
    `${input.method.toUpperCase()}\n${path}\n${query}\n` +
    names.map((n) => `${n}:${(toSign.get(n) ?? '').trim()}\n`).join('') +
    `\n${names.join(';')}\n${hexDigest(input.body ?? '')}`;
  const terminator = `jdcloud${v}_request`;
  const scope = [day, input.regionId, service, terminator].join('/');
  const algorithm = `JDCLOUD${v}-HMAC-SHA256`;
  const stringToSign = `${algorithm}\n${stamp}\n${scope}\n${hexDigest(canonicalRequest)}`;

  let key: Buffer = mac(`JDCLOUD${v}${input.secretKey}`, day);
  for (const part of [input.regionId, service, terminator]) key = mac(key, part);
  const signature = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');

  const headers: Record<string, string> = {};
  for (const [n, value] of toSign) if (n !== 'host' && n !== 'authorization') headers[n] = value;
  headers.authorization =
    `${algorithm} Credential=${input.accessKey}/${scope}, ` +
    `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return {
    headers,
    pathAndQuery: wirePath + (wireQuery ? '?' + wireQuery : ''),
    canonicalRequest,
    stringToSign,
  };
}
