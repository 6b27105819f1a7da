// DeleteImages: deleteImage for each id, all checked (found, owned) before any is deleted.
import { TencentErrors } from '@kumo/contract';
import { z } from 'zod';
import { defineAction } from '../action.js';
import { idList } from '../params.js';

export default defineAction({
  action: 'DeleteImages',
  operation: 'deleteImage',
  params: z.strictObject({
    ImageIds: idList,
    DeleteBindedSnap: z.boolean().optional(),
    DryRun: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    const ids = [...new Set(ctx.params.ImageIds)];
    if (ids.length === 0) throw TencentErrors.missingParameter('ImageIds');
    for (const id of ids) await ctx.services.images.get(ctx.regionId, ctx.account, id);
    if (ctx.params.DryRun) return {};
    for (const id of ids) await ctx.services.images.delete(ctx.regionId, ctx.account, id);
    return {};
  },
});
