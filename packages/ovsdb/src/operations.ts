// Typed transaction operations (RFC 7047 §5.2) and their results; builders make what callers pass to
// transact(), so no caller writes the wire shape by hand.
import type { Atom, Datum, Row, UuidAtom } from './datum.js';

/** A `where` clause: column, function, value. */
export type Condition = [string, '==' | '!=' | '<' | '<=' | '>' | '>=' | 'includes' | 'excludes', Datum];
/** A mutation: column, mutator, value. */
export type Mutation = [string, '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete', Datum];

export interface InsertOp {
  op: 'insert';
  table: string;
  row: Row;
  'uuid-name'?: string;
}
export interface SelectOp {
  op: 'select';
  table: string;
  where: Condition[];
  columns?: string[];
}
export interface UpdateOp {
  op: 'update';
  table: string;
  where: Condition[];
  row: Row;
}
export interface MutateOp {
  op: 'mutate';
  table: string;
  where: Condition[];
  mutations: Mutation[];
}
export interface DeleteOp {
  op: 'delete';
  table: string;
  where: Condition[];
}
export interface WaitOp {
  op: 'wait';
  table: string;
  where: Condition[];
  columns: string[];
  until: '==' | '!=';
  rows: Row[];
  timeout?: number;
}
export interface CommentOp {
  op: 'comment';
  comment: string;
}
export type Operation = InsertOp | SelectOp | UpdateOp | MutateOp | DeleteOp | WaitOp | CommentOp;

/** A row as select returns it: `_uuid` and `_version` are always present when not restricted by columns. */
export type SelectedRow = Row & { _uuid?: UuidAtom; _version?: UuidAtom };

/** What each operation returns when it succeeds. */
export type ResultOf<O> = O extends InsertOp
  ? { uuid: UuidAtom }
  : O extends SelectOp
    ? { rows: SelectedRow[] }
    : O extends UpdateOp | MutateOp | DeleteOp
      ? { count: number }
      : Record<string, never>;

/** Results of a transaction, one per operation, typed by position. */
export type ResultsOf<T extends readonly Operation[]> = { -readonly [K in keyof T]: ResultOf<T[K]> };

/** Builders for operations and conditions. */
export const op = {
  insert(table: string, row: Row, uuidName?: string): InsertOp {
    return uuidName === undefined
      ? { op: 'insert', table, row }
      : { op: 'insert', table, row, 'uuid-name': uuidName };
  },
  select(table: string, where: Condition[] = [], columns?: string[]): SelectOp {
    return columns ? { op: 'select', table, where, columns } : { op: 'select', table, where };
  },
  update(table: string, where: Condition[], row: Row): UpdateOp {
    return { op: 'update', table, where, row };
  },
  mutate(table: string, where: Condition[], mutations: Mutation[]): MutateOp {
    return { op: 'mutate', table, where, mutations };
  },
  delete(table: string, where: Condition[]): DeleteOp {
    return { op: 'delete', table, where };
  },
  /** Fails the transaction (error `timed out`) unless the selected rows' `columns` are (`==`) or are not (`!=`) exactly `rows`. */
  wait(
    table: string,
    where: Condition[],
    columns: string[],
    until: '==' | '!=',
    rows: Row[],
    timeout = 0,
  ): WaitOp {
    return { op: 'wait', table, where, columns, until, rows, timeout };
  },
  comment(comment: string): CommentOp {
    return { op: 'comment', comment };
  },
};

/** `column == value`. */
export function eq(column: string, value: Datum): Condition {
  return [column, '==', value];
}

/** `column includes value` (for sets and maps: every element of value is in the column). */
export function includes(column: string, value: Datum): Condition {
  return [column, 'includes', value];
}

/** Condition on one row by UUID. */
export function byUuid(id: UuidAtom): Condition {
  return ['_uuid', '==', id];
}

/** An atom used as a one-column condition value, re-exported for callers building where clauses. */
export type { Atom };
