// Parses JD query conventions (paging, filters) and JSON bodies (case-insensitive keys) into
// validated values, raising catalogue errors. No policy: which filters exist is the route's call.
import { Errors, decodeQueryString, QueryEncodingError, type DecodedQueryValue } from '@kumo/contract';
import type { z } from 'zod';

/** A query string decoded into JD's nested shape. */
export type DecodedQuery = { [key: string]: DecodedQueryValue };

/** Decodes a raw query string, turning encoding abuse into INVALID_ARGUMENT. */
export function decodeRequestQuery(raw: string): DecodedQuery {
  try {
    const query = decodeQueryString(raw);
    rejectNul(query, 'query');
    return query;
  } catch (err) {
    if (err instanceof QueryEncodingError) throw Errors.invalidParameter('query', err.message);
    throw err;
  }
}

/** Offset/limit for one page. */
export interface Page {
  pageNumber: number;
  pageSize: number;
  offset: number;
}

function scalar(query: DecodedQuery, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw Errors.invalidParameter(name, 'must be a single value');
  return v;
}

function integer(query: DecodedQuery, name: string): number | undefined {
  const v = scalar(query, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d{1,9}$/.test(v)) throw Errors.invalidParameter(name, 'must be an integer');
  return Number(v);
}

/** pageNumber (default 1, ≥ 1) and pageSize (default 20, within [10, 100]) as JD defines them. */
export function parsePage(query: DecodedQuery): Page {
  const pageNumber = integer(query, 'pageNumber') ?? 1;
  const pageSize = integer(query, 'pageSize') ?? 20;
  if (pageSize < 10 || pageSize > 100) throw Errors.pageSizeOutOfRange();
  if (pageNumber < 1 || pageNumber > 1_000_000) throw Errors.pageNumberOutOfRange();
  return { pageNumber, pageSize, offset: (pageNumber - 1) * pageSize };
}

/** A filter a route accepts. */
export interface FilterSpec {
  /** Longest accepted value. */
  maxValueLength?: number;
  /** At most one value (JD's "single" filters such as a fuzzy name). */
  single?: boolean;
}

const MAX_FILTER_VALUES = 100;

/**
 * Validates `filters.N.*` against the accepted names and returns name → values. Filters AND
 * together, so a name given twice keeps only the values common to both; values within one OR.
 */
export function parseFilters(
  query: DecodedQuery,
  accepted: Record<string, FilterSpec>,
): Map<string, string[]> {
  const raw = query.filters;
  const out = new Map<string, string[]>();
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) throw Errors.invalidParameter('filters', 'must be a list');
  for (const [i, f] of raw.entries()) {
    if (typeof f !== 'object' || f === null || Array.isArray(f)) {
      throw Errors.invalidParameter(`filters.${i + 1}`, 'must have name and values');
    }
    const name = f.name;
    if (typeof name !== 'string' || name === '') throw Errors.missingParameter(`filters.${i + 1}.name`);
    const spec = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (!spec) throw Errors.unknownFilter(name.length > 64 ? `${name.slice(0, 64)}…` : name);
    const op = f.operator ?? 'eq';
    if (op !== 'eq' && op !== 'in') throw Errors.unsupportedFilterOperator(name, String(op).slice(0, 16));
    const values = f.values;
    if (!Array.isArray(values) || values.length === 0)
      throw Errors.missingParameter(`filters.${i + 1}.values`);
    if (values.length > MAX_FILTER_VALUES || (spec.single && values.length > 1)) {
      throw Errors.outOfRange(`filters.${i + 1}.values`);
    }
    const max = spec.maxValueLength ?? 256;
    for (const v of values) {
      if (typeof v !== 'string') throw Errors.invalidParameter(`filters.${i + 1}.values`, 'must be strings');
      if (v.length > max) throw Errors.outOfRange(`filters.${i + 1}.values`);
    }
    const strings = values as string[];
    const prev = out.get(name);
    out.set(name, prev ? prev.filter((v) => strings.includes(v)) : [...new Set(strings)]);
  }
  return out;
}

/** Parses a raw body buffer as a JSON object (empty means `{}`). */
export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw Errors.malformedJson();
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw Errors.invalidParameter('body', 'must be a JSON object');
  rejectNul(value, 'body');
  return value as Record<string, unknown>;
}

/**
 * Refuses NUL characters anywhere in a decoded value (keys too): no JD field can hold one, and
 * PostgreSQL text cannot store one, so they are stopped at the boundary with a 400.
 */
export function rejectNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw Errors.invalidParameter(path, 'must not contain NUL characters');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => rejectNul(v, `${path}.${i + 1}`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) throw Errors.invalidParameter(path, 'must not contain NUL characters');
      rejectNul(v, path === 'body' ? k : `${path}.${k}`);
    }
  }
}

type ZodDefLike = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
};
const defOf = (s: z.ZodType): ZodDefLike => (s as unknown as { _zod: { def: ZodDefLike } })._zod.def;

/**
 * Renames keys to the schema's spelling, matching case-insensitively (JD samples send `KeyName`,
 * SDKs send `keyName`), and drops keys the schema does not know (SDKs echo path parameters).
 */
export function canonicalizeKeys(value: unknown, schema: z.ZodType): unknown {
  let def = defOf(schema);
  while (def.innerType && def.type !== 'object' && def.type !== 'array') def = defOf(def.innerType);
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    return value.map((v) => canonicalizeKeys(v, def.element!));
  }
  if (
    def.type !== 'object' ||
    !def.shape ||
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value)
  ) {
    return value;
  }
  const byLower = new Map(Object.keys(def.shape).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // SDKs send unset optional fields as null: that means "not given".
    if (v === null) continue;
    const canonical = byLower.get(k.toLowerCase());
    // An exact-case key wins over a differently-cased duplicate.
    if (canonical && (!(canonical in out) || k === canonical))
      out[canonical] = canonicalizeKeys(v, def.shape[canonical]!);
  }
  return out;
}

/** Validates a body against a route schema, mapping the first problem to a JD error. */
export function validateBody<S extends z.ZodType>(schema: S, body: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(canonicalizeKeys(body, schema));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.') || 'body';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message))
    throw Errors.missingParameter(path);
  if (issue.code === 'too_big' || issue.code === 'too_small') throw Errors.outOfRange(path);
  throw Errors.invalidParameter(path, issue.message);
}
