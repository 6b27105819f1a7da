// Helpers of the instance actions: the account scope, the caller for the action log, and batches
// that are checked whole before any instance is touched.
import { TencentErrors } from '@kumo/contract';
import type { InstanceRecord, TaskName } from '@kumo/store';
import type { CvmContext } from './action.js';
import { cvmInstanceId, instanceIdOf } from './ids.js';

/** The account/region scope of a request. */
export const scopeOf = (ctx: CvmContext<unknown>) => ({ accountId: ctx.account.id, regionId: ctx.regionId });

/** Who is asking, for the action log. */
export const callerOf = (ctx: CvmContext<unknown>) => ({
  account: ctx.account,
  accessKey: ctx.accessKey,
  requestId: ctx.requestId,
});

/**
 * The instances a batch names, each found in the caller's account (malformed, unknown and other
 * accounts' ids are refused before anything happens) and, for a lifecycle task, in a state the
 * task accepts; duplicates are named once.
 */
export async function batchOf(
  ctx: CvmContext<unknown>,
  cvmIds: string[],
  task?: Exclude<TaskName, 'spawn'>,
): Promise<InstanceRecord[]> {
  if (cvmIds.length === 0) throw TencentErrors.missingParameter('InstanceIds');
  const ids = [...new Set(cvmIds)].map((c) => ({ cvm: c, id: instanceIdOf(c) }));
  const found: InstanceRecord[] = [];
  for (const { cvm, id } of ids) {
    const inst = await ctx.services.instances.get(scopeOf(ctx), id).catch(() => undefined);
    if (!inst) throw TencentErrors.instanceNotFound(cvm.slice(0, 64));
    found.push(inst);
  }
  if (task) {
    for (const inst of found) {
      const refusal = ctx.services.instances.refusal(inst, task);
      if (refusal === 'busy')
        throw TencentErrors.operationInProgress(cvmInstanceId(inst.id), inst.task ?? '');
      if (refusal === 'status') throw TencentErrors.stateUnsupported(cvmInstanceId(inst.id), inst.status);
    }
  }
  return found;
}
