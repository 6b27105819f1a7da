// DetachDisks: detachDisk for each disk of the batch, from InstanceId or the instance it is on.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS, VPC_IDS } from '../ids.js';
import { idList } from '../params.js';
import { disksOf } from './disk-batch.js';

export default defineAction({
  action: 'DetachDisks',
  service: 'cbs',
  operation: 'detachDisk',
  params: z.strictObject({ DiskIds: idList, InstanceId: z.string().max(128).optional() }),
  handle: async (ctx) => {
    const named =
      ctx.params.InstanceId === undefined
        ? undefined
        : VPC_IDS.instance.in('InstanceId', ctx.params.InstanceId);
    const disks = await disksOf(ctx, ctx.params.DiskIds);
    const plan = disks.map((d) => {
      const on = named ?? d.attachments[0]?.instanceId;
      if (!on || !d.attachments.some((a) => a.instanceId === on))
        throw TencentErrors.diskNotAttached(CBS_IDS.disk.out(d.id));
      return { disk: d.id, instance: on };
    });
    for (const p of plan) await ctx.services.diskAttachments.detach(scopeOf(ctx), p.instance, p.disk);
    return {};
  },
});
