// Tencent's parameter conventions for API 3.0 bodies: validation into Tencent's error codes,
// Offset/Limit paging (default 0/20, Limit at most 100) and `Filters: [{Name, Values}]`.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';

/** Validates a parsed JSON body against an action's schema. */
export function validateParams<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const name = [path, issue.keys[0]].filter(Boolean).join('.');
    throw TencentErrors.invalidParameter(name.slice(0, 64), 'not a parameter of this action');
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message))
    throw TencentErrors.missingParameter(path);
  throw TencentErrors.invalidParameterValue(path || 'body', issue.message);
}

/** `Offset` and `Limit` members of list actions. */
export const paging = {
  Offset: z.number().int().min(0).max(1_000_000).optional(),
  // Limit > 100 gets its own error below, not the schema's.
  Limit: z.number().int().min(0).optional(),
};

/** A count that Tencent's VPC models type as a string ("20") and its CBS models as a number. */
const count = z.union([
  z.number().int().min(0),
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a non-negative integer')
    .transform(Number),
]);

/** `Offset` and `Limit` of the VPC and CBS list actions, as numbers or numeric strings. */
export const countPaging = {
  Offset: count.refine((n) => n <= 1_000_000, 'at most 1000000').optional(),
  Limit: count.optional(),
};

/** Offset/limit of one page: Limit defaults to 20 and is at most 100 (a larger one is refused). */
export function pageOf(p: { Offset?: number | undefined; Limit?: number | undefined }) {
  const limit = p.Limit ?? 20;
  if (limit > 100) throw TencentErrors.limitTooLarge('Limit');
  return { offset: p.Offset ?? 0, limit };
}

/** A `Filters` member: at most 10 filters of at most 100 values each. */
export const filtersParam = z
  .array(z.strictObject({ Name: z.string().max(64), Values: z.array(z.string().max(256)).min(1).max(100) }))
  .max(10)
  .optional();

/** The filters by name, refusing names the action does not know (InvalidFilter). */
export function filtersOf(
  filters: { Name: string; Values: string[] }[] | undefined,
  known: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of filters ?? []) {
    if (!known.includes(f.Name)) {
      throw TencentErrors.invalidFilter(f.Name.slice(0, 64));
    }
    out.set(f.Name, [...(out.get(f.Name) ?? []), ...f.Values]);
  }
  return out;
}

/** An id list member such as `InstanceIds` (at most 100). */
export const idList = z.array(z.string().max(128)).max(100);
