// SyncImages: copyImages — each own private image to each destination region (one store serves every
// region of the installation, so the copies are ready at once).
import { z } from 'zod';
import { defineAction } from '../action.js';

export default defineAction({
  action: 'SyncImages',
  operation: 'copyImages',
  params: z.strictObject({
    ImageIds: z.array(z.string().max(64)).min(1).max(10),
    DestinationRegions: z.array(z.string().max(64)).min(1).max(10),
    DryRun: z.boolean().optional(),
    ImageName: z.string().max(60).optional(),
    ImageSetRequired: z.boolean().optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    const set: { ImageId: string; Region: string }[] = [];
    for (const region of p.DestinationRegions) {
      const copies = await ctx.services.imageSharing.copy(ctx.regionId, ctx.account, p.ImageIds, region);
      for (const c of copies) set.push({ ImageId: c.destinationImageId, Region: region });
    }
    return p.ImageSetRequired ? { ImageSet: set } : {};
  },
});
