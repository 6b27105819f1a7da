// Building one write transaction from what a read found: insert-or-update of named rows, attaching
// and detaching child rows, and syncing a set of child rows by content so unchanged rows keep their
// UUIDs (no flow churn in ovn-northd when an ensure is re-run).
import {
  eq,
  includes,
  map,
  namedUuid,
  op,
  recordOf,
  set,
  uuid,
  uuidOf,
  type Atom,
  type Condition,
  type NamedUuidAtom,
  type Operation,
  type Row,
  type SelectedRow,
  type UuidAtom,
} from '@kumo/ovsdb';

/** A row reference usable inside the transaction: an existing UUID or an insert's named UUID. */
export type Ref = UuidAtom | NamedUuidAtom;

/** The NB database name. */
export const NB = 'OVN_Northbound';

/** Accumulates the operations of one write transaction. */
export class WriteTx {
  readonly ops: Operation[] = [];
  private seq = 0;

  /** Inserts `row` when `existing` is absent, else rewrites its columns (this repairs drift); returns its ref. */
  upsert(table: string, existing: SelectedRow | undefined, row: Row): Ref {
    if (existing?._uuid) {
      this.ops.push(op.update(table, [['_uuid', '==', existing._uuid]], row));
      return existing._uuid;
    }
    return this.insert(table, row);
  }

  /** Inserts a row and returns its named UUID. */
  insert(table: string, row: Row): NamedUuidAtom {
    const name = `row${++this.seq}`;
    this.ops.push(op.insert(table, row, name));
    return namedUuid(name);
  }

  /**
   * Inserts a root row keyed by name, guarded: the transaction fails (error `timed out`) if another
   * writer created the same name since our read, instead of leaving two rows.
   */
  insertNamed(table: string, name: string, row: Row): NamedUuidAtom {
    this.ops.push(op.wait(table, [eq('name', name)], ['name'], '==', [], 0));
    return this.insert(table, { ...row, name });
  }

  /** Adds `ref` to the set column of the rows matching `where` (a no-op if already there). */
  attach(table: string, where: Condition[], column: string, ref: Ref): void {
    this.ops.push(op.mutate(table, where, [[column, 'insert', set([ref])]]));
  }

  /** Removes child `id` from whichever parent rows of `table` hold it in `column`. */
  detach(table: string, column: string, id: UuidAtom): void {
    this.ops.push(op.mutate(table, [includes(column, id)], [[column, 'delete', set([id])]]));
  }

  delete(table: string, id: UuidAtom): void {
    this.ops.push(op.delete(table, [['_uuid', '==', id]]));
  }

  get empty(): boolean {
    return this.ops.length === 0;
  }
}

/** The result of syncing a set of child rows: UUIDs to keep, rows to insert, UUIDs no longer wanted. */
export interface ChildSync {
  keep: UuidAtom[];
  add: Row[];
  drop: UuidAtom[];
}

/**
 * Compares existing child rows with the wanted ones by a content key (the columns Kumo writes).
 * A row wanted twice is inserted once; an existing duplicate is dropped.
 */
export function syncChildren(existing: SelectedRow[], wanted: Row[], key: (r: Row) => string): ChildSync {
  const have = new Map<string, UuidAtom[]>();
  for (const r of existing) {
    const k = key(r);
    have.set(k, [...(have.get(k) ?? []), r._uuid!]);
  }
  const out: ChildSync = { keep: [], add: [], drop: [] };
  const seen = new Set<string>();
  for (const w of wanted) {
    const k = key(w);
    if (seen.has(k)) continue;
    seen.add(k);
    const found = have.get(k);
    if (found?.length) {
      out.keep.push(found.shift()!);
    } else out.add.push(w);
  }
  for (const rest of have.values()) out.drop.push(...rest);
  return out;
}

/** A stable text of a map column or record, for content keys. */
export function mapKey(d: unknown): string {
  const r = Array.isArray(d) ? recordOf(d as ['map', [Atom, Atom][]]) : ((d ?? {}) as Record<string, string>);
  return JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `external_ids includes {key: value, …}`: rows Kumo tagged with these ids. */
export function tagged(ids: Record<string, string>): [string, 'includes', ['map', [Atom, Atom][]]] {
  return ['external_ids', 'includes', map(ids)];
}

/** A row's external_ids as a record. */
export function idsOf(r: SelectedRow): Record<string, string> {
  return recordOf(r.external_ids);
}

export { uuid, uuidOf };
