// ResizeDisk: extendDisk to DiskSize GB (never smaller, within the type's range).
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { scopeOf } from '../batch.js';
import { CBS_IDS } from '../ids.js';

export default defineAction({
  action: 'ResizeDisk',
  service: 'cbs',
  operation: 'extendDisk',
  params: z.strictObject({ DiskSize: z.number().int(), DiskId: z.string().max(128).optional() }),
  handle: async (ctx) => {
    if (ctx.params.DiskId === undefined) throw TencentErrors.missingParameter('DiskId');
    const id = CBS_IDS.disk.in('DiskId', ctx.params.DiskId);
    await ctx.services.disks.extendDisk(scopeOf(ctx), id, ctx.params.DiskSize);
    return {};
  },
});
