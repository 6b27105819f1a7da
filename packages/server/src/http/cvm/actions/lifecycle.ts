// The batch lifecycle actions (Start/Stop/Reboot/TerminateInstances): every id checked first,
// then the same claim JD's single-instance operations make, instance by instance.
import type { TaskName } from '@kumo/store';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf, callerOf, scopeOf } from '../batch.js';
import { idList } from '../params.js';

/** A batch action over one lifecycle task; extra members are accepted and have no effect here. */
export function lifecycleAction(
  action: string,
  operation: string,
  task: Exclude<TaskName, 'spawn' | 'resize' | 'rebuild'>,
  extra: Record<string, z.ZodType> = {},
) {
  return defineAction({
    action,
    operation,
    params: z.strictObject({ InstanceIds: idList, ...extra }),
    handle: async (ctx) => {
      const batch = await batchOf(ctx, ctx.params.InstanceIds, task);
      for (const inst of batch) {
        await ctx.services.instances.act(scopeOf(ctx), callerOf(ctx), inst.id, task);
      }
      return {};
    },
  });
}
