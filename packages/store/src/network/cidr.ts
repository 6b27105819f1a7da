// IPv4 prefix arithmetic for the network inventory: parsing, containment, overlap, the usable host
// range JD hands out (network and broadcast excluded, the first host is the gateway) and carving
// fixed-size blocks out of a pool. Pure functions; addresses are unsigned 32-bit numbers inside.

/** A parsed IPv4 prefix. */
export interface Cidr {
  /** The network address as a number. */
  base: number;
  /** Prefix length, 0–32. */
  length: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted quad; undefined when it is not one. */
export function parseIp(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Formats a number as a dotted quad. */
export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const sizeOf = (length: number) => 2 ** (32 - length);

/**
 * Parses `a.b.c.d/len`. Host bits must be zero (JD refuses `10.0.0.1/16` too), so a prefix
 * has exactly one spelling and can be compared as text.
 */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = parseIp(m[1]!);
  const length = Number(m[2]);
  if (base === undefined || length > 32) return undefined;
  if (base % sizeOf(length) !== 0) return undefined;
  return { base, length };
}

/** The canonical text of a prefix. */
export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.length}`;
}

/** Whether `inner` lies inside `outer` (equal counts). */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.length >= outer.length && inner.base >= outer.base && last(inner) <= last(outer);
}

/** Whether two prefixes share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

/** Whether the address lies inside the prefix. */
export function containsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= last(c);
}

function last(c: Cidr): number {
  return c.base + sizeOf(c.length) - 1;
}

/**
 * The addresses of a subnet as JD plans them: the first (network) and last (broadcast) are
 * reserved, the first host is the gateway, guests get the rest.
 */
export function hostRange(c: Cidr): { gateway: number; first: number; last: number; count: number } {
  const gateway = c.base + 1;
  const first = c.base + 2;
  const lastHost = last(c) - 1;
  return { gateway, first, last: lastHost, count: Math.max(0, lastHost - first + 1) };
}

/** The `index`th block of `length` inside `pool` (0-based), or undefined past its end. */
export function carve(pool: Cidr, length: number, index: number): Cidr | undefined {
  if (length < pool.length) return undefined;
  const count = 2 ** (length - pool.length);
  if (index < 0 || index >= count) return undefined;
  return { base: pool.base + index * sizeOf(length), length };
}
