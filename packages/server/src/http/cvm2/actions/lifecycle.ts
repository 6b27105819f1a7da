// The API 2.0 lifecycle actions: `instanceIds.N`, every id and state checked before any instance
// is touched, then the same claims as JD's operations and the 3.0 actions.
import type { TaskName } from '@kumo/store';
import { batchOf, callerOf, scopeOf } from '../../cvm/batch.js';
import { cvmInstanceId } from '../../cvm/ids.js';
import type { V2Action } from '../action.js';
import { listOf } from '../params.js';

/** A batch action over one lifecycle task. */
export function v2LifecycleAction(
  action: string,
  operation: string,
  task: Exclude<TaskName, 'spawn' | 'resize' | 'rebuild'>,
): V2Action {
  return {
    action,
    operation,
    handle: async (ctx) => {
      const batch = await batchOf(ctx, listOf(ctx.params, 'instanceIds'), task);
      for (const inst of batch) await ctx.services.instances.act(scopeOf(ctx), callerOf(ctx), inst.id, task);
      return {
        detail: Object.fromEntries(batch.map((i) => [cvmInstanceId(i.id), { code: 0, message: '' }])),
      };
    },
  };
}
