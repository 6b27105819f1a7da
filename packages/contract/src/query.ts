// JD Cloud query-string flattening (filters.1.values.2=…) and its bounded inverse; pure, no coercion of value types.

/** Thrown when a query cannot be encoded or a flattened query is malformed or abusive. */
export class QueryEncodingError extends Error {
  /** The offending parameter name (flattened form when decoding). */
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = 'QueryEncodingError';
    this.key = key;
  }
}

/** Largest 1-based index decodeQuery accepts; the API's own limits (pageSize ≤ 100, maxCount ≤ 100) are far below. */
export const MAX_QUERY_INDEX = 1000;
/** Deepest key decodeQuery accepts: `tags.1.values.1` has four segments. */
export const MAX_QUERY_DEPTH = 6;
/** Most distinct parameters decodeQuery accepts in one request. */
export const MAX_QUERY_PARAMS = 2000;

/** A decoded query: strings, arrays ordered by index, and nested objects. */
export type DecodedQueryValue = string | DecodedQueryValue[] | { [key: string]: DecodedQueryValue };

/** RFC 3986 encoding: encodeURIComponent plus the sub-delimiters it leaves bare, so the wire form is canonical. */
function encodeComponent(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (Array.isArray(item))
        throw new QueryEncodingError(prefix, `Nested arrays cannot be encoded: ${prefix}`);
      flatten(`${prefix}.${i + 1}`, item, out);
    });
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push([prefix, value]);
      return;
    case 'number':
    case 'boolean':
    case 'bigint':
      out.push([prefix, String(value)]);
      return;
    case 'object':
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        flatten(`${prefix}.${k}`, v, out);
      return;
    default:
      throw new QueryEncodingError(prefix, `Unsupported query value type ${typeof value}: ${prefix}`);
  }
}

/**
 * Flattens parameters the way the JD SDKs do (1-based: `ids.1=a`, `filters.1.name=n&filters.1.values.1=v`,
 * `tags.1.key=k`), dropping null/undefined, percent-encoding per RFC 3986 and sorting by key so the
 * string sent is already the canonical query. Returns the query without '?' ('' when empty).
 */
export function encodeQuery(params: object): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) flatten(k, v, pairs);
  const encoded = pairs.map(([k, v]) => [encodeComponent(k), encodeComponent(v)] as const);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const INDEX = /^[1-9][0-9]{0,3}$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Build-time tree: named children or indexed children, never both. */
interface Node {
  named?: Map<string, Node | string | string[]>;
  indexed?: Map<number, Node | string | string[]>;
}

function child(
  node: Node,
  seg: string,
  key: string,
): { map: Map<string | number, Node | string | string[]>; id: string | number } {
  if (INDEX.test(seg)) {
    const n = Number(seg);
    if (n > MAX_QUERY_INDEX) throw new QueryEncodingError(key, `Index ${seg} out of range in ${key}`);
    if (node.named) throw new QueryEncodingError(key, `Mixed indexes and names in ${key}`);
    node.indexed ??= new Map();
    return { map: node.indexed, id: n };
  }
  if (/^[0-9]+$/.test(seg)) throw new QueryEncodingError(key, `Index ${seg} out of range in ${key}`);
  if (!NAME.test(seg) || FORBIDDEN.has(seg))
    throw new QueryEncodingError(key, `Invalid parameter name ${key}`);
  if (node.indexed) throw new QueryEncodingError(key, `Mixed indexes and names in ${key}`);
  node.named ??= new Map();
  return { map: node.named, id: seg };
}

function build(node: Node | string | string[]): DecodedQueryValue {
  if (typeof node === 'string' || Array.isArray(node)) return node;
  if (node.indexed) {
    return [...node.indexed.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => build(v));
  }
  const obj: { [key: string]: DecodedQueryValue } = {};
  for (const [k, v] of node.named ?? []) obj[k] = build(v);
  return obj;
}

/**
 * Rebuilds the nested object from a flattened, already percent-decoded query: `filters.2.values.1`
 * lands in `filters[1].values[0]`, arrays are ordered by index whatever order keys arrive in and gaps
 * are closed. A repeated key keeps its values as a string array. Values stay strings. Throws
 * QueryEncodingError for indexes outside 1..MAX_QUERY_INDEX, keys deeper than MAX_QUERY_DEPTH, more
 * than MAX_QUERY_PARAMS keys, bad names, or a key used both as a leaf and as a container.
 */
export function decodeQuery(flat: Record<string, string | string[]>): { [key: string]: DecodedQueryValue } {
  const keys = Object.keys(flat);
  if (keys.length > MAX_QUERY_PARAMS)
    throw new QueryEncodingError('', `More than ${MAX_QUERY_PARAMS} parameters`);
  const root: Node = { named: new Map() };
  for (const key of keys) {
    const segs = key.split('.');
    if (segs.length > MAX_QUERY_DEPTH)
      throw new QueryEncodingError(key, `Parameter nested too deeply: ${key}`);
    if (INDEX.test(segs[0] as string)) throw new QueryEncodingError(key, `Invalid parameter name ${key}`);
    let node = root;
    for (let i = 0; i < segs.length; i++) {
      const { map, id } = child(node, segs[i] as string, key);
      const existing = map.get(id);
      if (i === segs.length - 1) {
        if (existing !== undefined) throw new QueryEncodingError(key, `Conflicting parameter ${key}`);
        const raw = flat[key] as string | string[];
        map.set(id, Array.isArray(raw) && raw.length === 1 ? (raw[0] as string) : raw);
      } else {
        if (typeof existing === 'string' || Array.isArray(existing)) {
          throw new QueryEncodingError(key, `Conflicting parameter ${key}`);
        }
        const next: Node = existing ?? {};
        map.set(id, next);
        node = next;
      }
    }
  }
  return build(root) as { [key: string]: DecodedQueryValue };
}

/** Splits a raw query string (no '?') into decoded flat pairs ('+' is a space, as Go sends it), then decodeQuery. */
export function decodeQueryString(raw: string): { [key: string]: DecodedQueryValue } {
  const flat: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = flat[k];
    flat[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    if (Array.isArray(flat[k]) && flat[k].length > MAX_QUERY_INDEX) {
      throw new QueryEncodingError(k, `Too many values for ${k}`);
    }
  }
  return decodeQuery(flat);
}
