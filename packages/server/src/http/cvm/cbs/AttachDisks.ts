// AttachDisks: attachDisk for each disk of the batch onto one instance (all found first).
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { VPC_IDS } from '../ids.js';
import { idList } from '../params.js';
import { disksOf } from './disk-batch.js';

export default defineAction({
  action: 'AttachDisks',
  service: 'cbs',
  operation: 'attachDisk',
  params: z.strictObject({
    InstanceId: z.string().max(128),
    DiskIds: idList,
    DeleteWithInstance: z.boolean().optional(),
    AttachMode: z.string().max(16).optional(),
  }),
  handle: async (ctx) => {
    const instanceId = VPC_IDS.instance.in('InstanceId', ctx.params.InstanceId);
    await ctx.services.instances.get(scopeOf(ctx), instanceId);
    const disks = await disksOf(ctx, ctx.params.DiskIds);
    for (const d of disks) {
      await ctx.services.diskAttachments.attach(scopeOf(ctx), instanceId, d.id, {
        autoDelete: ctx.params.DeleteWithInstance ?? false,
      });
    }
    return {};
  },
});
