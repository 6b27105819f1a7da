// Validation of every string the driver writes into OVSDB: ids, UUIDs, IPv4 addresses, CIDRs, MACs,
// hostnames, numbers. Pure; throws PlaneInputError naming the field. ACL matches are built from
// these checked values only, so nothing a caller sends can change a match's meaning.
import { PlaneInputError } from './errors.js';

const ID_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_RE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const HOSTNAME_RE =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const CHASSIS_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PHYSNET_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** A Kumo id: lower-case letters, digits and '-', at most 64 characters. */
export function checkId(field: string, v: unknown): string {
  if (typeof v !== 'string' || !ID_RE.test(v))
    throw new PlaneInputError(field, `not a valid id (${show(v)})`);
  return v;
}

/** A lower-case UUID. */
export function checkUuid(field: string, v: unknown): string {
  if (typeof v !== 'string' || !UUID_RE.test(v))
    throw new PlaneInputError(field, `not a lower-case UUID (${show(v)})`);
  return v;
}

/** A unicast MAC in lower-case colon form. */
export function checkMac(field: string, v: unknown): string {
  if (typeof v !== 'string' || !MAC_RE.test(v))
    throw new PlaneInputError(field, `not a MAC like 02:00:00:00:00:01 (${show(v)})`);
  if (parseInt(v.slice(0, 2), 16) & 1) throw new PlaneInputError(field, `is a multicast MAC (${v})`);
  return v;
}

/** The 32-bit value of a dotted-quad IPv4 address, or undefined. */
export function ipv4ToInt(v: string): number | undefined {
  const parts = v.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** A dotted-quad IPv4 address. */
export function checkIp(field: string, v: unknown): string {
  if (typeof v !== 'string' || ipv4ToInt(v) === undefined)
    throw new PlaneInputError(field, `not an IPv4 address (${show(v)})`);
  return v;
}

/** A parsed IPv4 prefix. */
export interface Cidr {
  text: string;
  network: number;
  prefix: number;
}

/** An IPv4 CIDR whose host bits are zero, e.g. `10.0.1.0/24`. */
export function checkCidr(field: string, v: unknown): Cidr {
  const m = typeof v === 'string' ? /^([0-9.]+)\/([0-9]{1,2})$/.exec(v) : null;
  const ip = m ? ipv4ToInt(m[1]!) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || ip === undefined || prefix > 32)
    throw new PlaneInputError(field, `not an IPv4 CIDR (${show(v)})`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((ip & ~mask) >>> 0 !== 0) throw new PlaneInputError(field, `has host bits set (${v})`);
  return { text: v as string, network: ip, prefix };
}

/** Whether an address lies inside a prefix. */
export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipv4ToInt(ip);
  if (n === undefined) return false;
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  return (n & mask) >>> 0 === c.network;
}

/** An address that must lie inside `c`. */
export function checkIpIn(field: string, v: unknown, c: Cidr): string {
  const ip = checkIp(field, v);
  if (!cidrContains(c, ip)) throw new PlaneInputError(field, `${ip} is outside ${c.text}`);
  return ip;
}

/** An integer in [min, max]. */
export function checkInt(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new PlaneInputError(field, `must be an integer from ${min} to ${max} (${show(v)})`);
  }
  return v;
}

/** A DNS host name (labels of letters, digits and '-'). */
export function checkHostname(field: string, v: unknown): string {
  if (typeof v !== 'string' || v.length > 253 || !HOSTNAME_RE.test(v))
    throw new PlaneInputError(field, `not a host name (${show(v)})`);
  return v;
}

/** A chassis name (ovn-controller's system-id). */
export function checkChassis(field: string, v: unknown): string {
  if (typeof v !== 'string' || !CHASSIS_RE.test(v))
    throw new PlaneInputError(field, `not a chassis name (${show(v)})`);
  return v;
}

/** An `ovn-bridge-mappings` network name. */
export function checkPhysicalNetwork(field: string, v: unknown): string {
  if (typeof v !== 'string' || !PHYSNET_RE.test(v))
    throw new PlaneInputError(field, `not a physical network name (${show(v)})`);
  return v;
}

/** One of the listed values. */
export function checkOneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new PlaneInputError(field, `must be one of ${allowed.join(', ')} (${show(v)})`);
  }
  return v as T;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
