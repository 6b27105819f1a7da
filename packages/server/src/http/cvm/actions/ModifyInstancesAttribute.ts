// ModifyInstancesAttribute: modifyInstanceAttribute (the name) for each instance of the batch.
import { INSTANCE_NAME, INSTANCE_NAME_RULE, TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { batchOf, scopeOf } from '../batch.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'ModifyInstancesAttribute',
  operation: 'modifyInstanceAttribute',
  params: z.strictObject({
    InstanceIds: idList,
    InstanceName: z.string().max(128).optional(),
    SecurityGroups: idList.optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.SecurityGroups) throw TencentErrors.unsupportedOperation('SecurityGroups (use the vpc service)');
    if (p.InstanceName === undefined) throw TencentErrors.missingParameter('InstanceName');
    if (!INSTANCE_NAME.test(p.InstanceName)) {
      throw TencentErrors.invalidParameterValue('InstanceName', INSTANCE_NAME_RULE);
    }
    const batch = await batchOf(ctx, p.InstanceIds);
    for (const inst of batch) {
      await ctx.services.instances.modifyAttribute(scopeOf(ctx), inst.id, { name: p.InstanceName });
    }
    return {};
  },
});
