// DescribeInstancesStatus: describeInstanceStatus, as CVM states.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { cvmInstanceId, instanceIdOf } from '../ids.js';
import { idList, pageOf, paging } from '../params.js';
import { cvmState } from '../views.js';

export default defineAction({
  action: 'DescribeInstancesStatus',
  operation: 'describeInstanceStatus',
  params: z.strictObject({ InstanceIds: idList.optional(), ...paging }),
  handle: async (ctx) => {
    const page = pageOf(ctx.params);
    const ids = ctx.params.InstanceIds?.length ? ctx.params.InstanceIds.map(instanceIdOf) : undefined;
    const r = await ctx.services.instances.page(
      scopeOf(ctx),
      ids ? { instanceId: ids } : {},
      page.offset,
      page.limit,
    );
    return {
      TotalCount: r.total,
      InstanceStatusSet: r.items.map((i) => ({
        InstanceId: cvmInstanceId(i.id),
        InstanceState: cvmState(i),
      })),
    };
  },
});
