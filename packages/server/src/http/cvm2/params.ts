// API 2.0's parameter conventions, as the seed documents them: `name.N` lists starting at 0,
// lowercase `offset`/`limit` paging (default 0/20, at most 100), integers as decimal strings.
import { TencentErrors } from '@kumo/contract';
import type { V2Params } from './action.js';

/** The `name.0`, `name.1`, … list (contiguous from 0; at most 100). */
export function listOf(p: V2Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; p[`${name}.${i}`] !== undefined; i++) {
    if (i >= 100) throw TencentErrors.invalidParameterValue(name, 'at most 100 items');
    out.push(p[`${name}.${i}`]!);
  }
  const stray = Object.keys(p).find(
    (k) => k.startsWith(`${name}.`) && !/^\d+$/.test(k.slice(name.length + 1)),
  );
  if (stray) throw TencentErrors.invalidParameter(stray.slice(0, 64), 'lists are name.0, name.1, …');
  const skipped = Object.keys(p).find(
    (k) => k.startsWith(`${name}.`) && Number(k.slice(name.length + 1)) >= out.length,
  );
  if (skipped)
    throw TencentErrors.invalidParameterValue(skipped.slice(0, 64), 'list indexes start at 0 with no gaps');
  return out;
}

/** An optional non-negative integer parameter. */
export function intOf(p: V2Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw TencentErrors.invalidParameterValue(name, 'must be a non-negative integer');
  return Number(v);
}

/** `offset` and `limit`: limit defaults to 20 and is at most 100. */
export function pageOf(p: V2Params): { offset: number; limit: number } {
  const limit = intOf(p, 'limit') ?? 20;
  if (limit > 100) throw TencentErrors.limitTooLarge('limit');
  return { offset: intOf(p, 'offset') ?? 0, limit };
}

/** A required string parameter. */
export function required(p: V2Params, name: string, maxLength = 128): string {
  const v = p[name];
  if (v === undefined || v === '') throw TencentErrors.missingParameter(name);
  if (v.length > maxLength)
    throw TencentErrors.invalidParameterValue(name, `at most ${maxLength} characters`);
  return v;
}
