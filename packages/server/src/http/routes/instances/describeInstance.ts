// describeInstance: GET /v1/regions/{regionId}/instances/{instanceId}.
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';
import { instanceView } from '../../views/instance.js';
import { dataDiskView } from '../../views/disk.js';

export default defineRoute({
  operation: 'describeInstance',
  method: 'GET',
  path: '/v1/regions/{regionId}/instances/{instanceId}',
  errors: ['instanceNotFound'],
  handle: async (ctx) => {
    const scope = scopeOf(ctx);
    const inst = await ctx.services.instances.get(scope, ctx.params.instanceId!);
    const net = await ctx.services.networkInterfaces.ofInstances(scope, [inst.id]);
    const disks = await ctx.services.diskAttachments.dataDisksOf([inst.id]);
    return {
      instance: instanceView(inst, {
        net: net.get(inst.id),
        dataDisks: (disks.get(inst.id) ?? []).map(dataDiskView),
        chargeStatus: ctx.services.chargePolicy.status(inst.charge),
      }),
    };
  },
});
