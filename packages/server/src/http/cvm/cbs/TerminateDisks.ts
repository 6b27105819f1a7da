// TerminateDisks: deleteDisk for each disk of the batch (detached, without snapshots: Kumo's rule).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';
import { idList } from '../params.js';
import { disksOf } from './disk-batch.js';

export default defineAction({
  action: 'TerminateDisks',
  service: 'cbs',
  operation: 'deleteDisk',
  params: z.strictObject({ DiskIds: idList, DeleteSnapshot: z.number().int().optional() }),
  handle: async (ctx) => {
    if (ctx.params.DeleteSnapshot === 1) throw TencentErrors.unsupportedOperation('DeleteSnapshot=1');
    const disks = await disksOf(ctx, ctx.params.DiskIds);
    for (const d of disks)
      if (d.attachments.length > 0) throw TencentErrors.diskAttached(CBS_IDS.disk.out(d.id));
    for (const d of disks) await ctx.services.disks.deleteDisk(scopeOf(ctx), d.id);
    return {};
  },
});
