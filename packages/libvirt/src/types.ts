// Object handles (domain, network, nwfilter, pool, volume) and their XDR codecs; plain data, no calls.
import { XdrError, type XdrReader, type XdrWriter } from './xdr.js';

/** A domain handle as libvirtd returned it; `id` is -1 while the domain is inactive. */
export interface Domain {
  name: string;
  uuid: string;
  id: number;
}
/** A virtual network handle. */
export interface Network {
  name: string;
  uuid: string;
}
/** A network filter handle. */
export interface NwFilter {
  name: string;
  uuid: string;
}
/** A storage pool handle. */
export interface StoragePool {
  name: string;
  uuid: string;
}
/** A storage volume handle; for dir pools `key` is the volume's path. */
export interface StorageVol {
  pool: string;
  name: string;
  key: string;
}

const NAME_MAX = 4_194_304;

/** Formats 16 raw bytes as a canonical lower-case UUID string. */
export function uuidToString(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Parses a UUID string (with or without dashes) into 16 raw bytes. */
export function uuidToBytes(s: string): Buffer {
  const hex = s.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new XdrError(`not a UUID: ${s}`);
  return Buffer.from(hex, 'hex');
}

/** @internal */
export const readUuid = (r: XdrReader): string => uuidToString(r.opaqueFixed(16));
/** @internal */
export const writeUuid = (w: XdrWriter, u: string): void => void w.opaqueFixed(uuidToBytes(u), 16);

/** @internal */
export function readDomain(r: XdrReader): Domain {
  return { name: r.string(NAME_MAX), uuid: readUuid(r), id: r.int() };
}
/** @internal */
export function writeDomain(w: XdrWriter, d: Domain): void {
  w.string(d.name);
  writeUuid(w, d.uuid);
  w.int(d.id);
}
/** @internal Networks, nwfilters and pools share the {name, uuid} layout. */
export function readNamed(r: XdrReader): { name: string; uuid: string } {
  return { name: r.string(NAME_MAX), uuid: readUuid(r) };
}
/** @internal */
export function writeNamed(w: XdrWriter, n: { name: string; uuid: string }): void {
  w.string(n.name);
  writeUuid(w, n.uuid);
}
/** @internal */
export function readVol(r: XdrReader): StorageVol {
  return { pool: r.string(NAME_MAX), name: r.string(NAME_MAX), key: r.string(NAME_MAX) };
}
/** @internal */
export function writeVol(w: XdrWriter, v: StorageVol): void {
  w.string(v.pool).string(v.name).string(v.key);
}
