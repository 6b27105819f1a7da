// OVSDB's JSON encoding of values (RFC 7047 §5.1): atoms, sets, maps, UUIDs and named UUIDs, both
// ways. Encoders build what a transaction sends; decoders read what select and monitor return.

/** A UUID as OVSDB writes it. */
export type UuidAtom = ['uuid', string];
/** A reference to a row inserted earlier in the same transaction (its `uuid-name`). */
export type NamedUuidAtom = ['named-uuid', string];
/** A scalar value of a column. */
export type Atom = string | number | boolean | UuidAtom | NamedUuidAtom;
/** A set: OVSDB also accepts (and sends) a one-element set as the bare atom. */
export type SetDatum = ['set', Atom[]];
/** A map from atoms to atoms. */
export type MapDatum = ['map', [Atom, Atom][]];
/** Any column value. */
export type Datum = Atom | SetDatum | MapDatum;
/** A row as sent or received: column → value. */
export type Row = Record<string, Datum>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A uuid-name must be an <id>: a letter or '_' first, then letters, digits and '_'.
const ID_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A UUID atom; throws on anything that is not a lower-case UUID. */
export function uuid(value: string): UuidAtom {
  if (!UUID_RE.test(value)) throw new TypeError(`not a UUID: ${JSON.stringify(value)}`);
  return ['uuid', value];
}

/** A named-UUID atom referring to an insert's `uuid-name` in the same transaction. */
export function namedUuid(name: string): NamedUuidAtom {
  if (!ID_RE.test(name)) throw new TypeError(`not a valid uuid-name: ${JSON.stringify(name)}`);
  return ['named-uuid', name];
}

/** A set of atoms (an empty set clears an optional column). */
export function set(atoms: Iterable<Atom>): SetDatum {
  return ['set', [...atoms]];
}

/** A map from a record or entries; undefined values are left out. */
export function map(value: Record<string, Atom | undefined> | Iterable<[Atom, Atom]>): MapDatum {
  const entries: [Atom, Atom][] = [];
  if (Symbol.iterator in value) entries.push(...value);
  else for (const [k, v] of Object.entries(value)) if (v !== undefined) entries.push([k, v]);
  return ['map', entries];
}

function isTagged(d: unknown, tag: string): d is [string, unknown] {
  return Array.isArray(d) && d.length === 2 && d[0] === tag;
}

/** The atoms of a set column (a bare atom is a one-element set). */
export function atomsOf(d: Datum | undefined): Atom[] {
  if (d === undefined) return [];
  if (isTagged(d, 'set')) return d[1] as Atom[];
  return [d];
}

/** The UUID strings of a set-of-uuid column (or of a single uuid). */
export function uuidsOf(d: Datum | undefined): string[] {
  return atomsOf(d).map(uuidOf);
}

/** The UUID string of a uuid atom; throws TypeError when it is not one. */
export function uuidOf(d: Datum | undefined): string {
  if (isTagged(d, 'uuid') && typeof d[1] === 'string') return d[1];
  throw new TypeError(`not a uuid atom: ${JSON.stringify(d)}`);
}

/** The string atoms of a set column; throws TypeError on a non-string. */
export function stringsOf(d: Datum | undefined): string[] {
  return atomsOf(d).map((a) => {
    if (typeof a !== 'string') throw new TypeError(`not a string atom: ${JSON.stringify(a)}`);
    return a;
  });
}

/** The value of an optional column (a set of zero or one atoms). */
export function optionalOf(d: Datum | undefined): Atom | undefined {
  const a = atomsOf(d);
  return a[0];
}

/** A string → string map column as a plain record (other atom types become their JSON text). */
export function recordOf(d: Datum | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isTagged(d, 'map')) return out;
  for (const [k, v] of d[1] as [Atom, Atom][]) {
    out[typeof k === 'string' ? k : JSON.stringify(k)] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}
