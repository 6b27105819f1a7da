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
    const inst = await ctx.services.instances.get(scopeOf(ctx), ctx.params.instanceId!);
    const disks = await ctx.services.diskAttachments.dataDisksOf([inst.id]);
    return { instance: instanceView(inst, (disks.get(inst.id) ?? []).map(dataDiskView)) };
  },
});
