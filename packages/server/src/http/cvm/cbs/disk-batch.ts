// The disks a CBS batch names, each found in the caller's account before any is touched (a
// malformed, unknown or other account's id refuses the whole call), duplicates once.
import { TencentErrors } from '@kumo/contract';
import type { DiskRecord } from '@kumo/store';
import type { CvmContext } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';

export async function disksOf(ctx: CvmContext<unknown>, tencentIds: string[]): Promise<DiskRecord[]> {
  const unique = [...new Set(tencentIds)];
  if (unique.length === 0) throw TencentErrors.missingParameter('DiskIds');
  const ids = unique.map((id) => CBS_IDS.disk.in('DiskIds', id));
  const found: DiskRecord[] = [];
  for (const [i, id] of ids.entries()) {
    const d = await ctx.services.disks.describeDisk(scopeOf(ctx), id).catch(() => undefined);
    if (!d) throw TencentErrors.diskNotFound(unique[i]!.slice(0, 64));
    found.push(d);
  }
  return found;
}
