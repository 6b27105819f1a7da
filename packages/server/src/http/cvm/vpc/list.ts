// Helpers of the VPC list actions: an id list or Filters (not both), and filters the store
// cannot apply (is-default, cidr-block) applied to the account's whole list before paging; an
// account holds at most its quota of these, so the whole list is small.
import { TencentErrors } from '@kumo/contract';

/** Refuses ids and filters given together, as Tencent does. */
export function idsOrFilters(ids: string[] | undefined, filters: unknown[] | undefined, idsName: string) {
  if (ids && ids.length > 0 && filters && filters.length > 0)
    throw TencentErrors.invalidParameterCombination(`${idsName} and Filters cannot be given together`);
}

/** The largest list the in-memory filters read (beyond any account's network quotas). */
export const WHOLE_LIST = 10_000;

/** `true`/`false` values of a boolean filter. */
export function booleanFilter(name: string, values: string[]): boolean[] {
  return values.map((v) => {
    if (v !== 'true' && v !== 'false')
      throw TencentErrors.invalidParameterValue(`Filters.${name}`, 'true or false');
    return v === 'true';
  });
}

/** One page of an in-memory list. */
export function pageOfList<T>(items: T[], page: { offset: number; limit: number }) {
  return { items: items.slice(page.offset, page.offset + page.limit), total: items.length };
}
