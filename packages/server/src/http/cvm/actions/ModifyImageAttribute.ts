// ModifyImageAttribute: modifyImageAttribute (name, description) of an image the caller owns.
import { z } from 'zod';
import { defineAction } from '../action.js';

export default defineAction({
  action: 'ModifyImageAttribute',
  operation: 'modifyImageAttribute',
  params: z.strictObject({
    ImageId: z.string().max(64),
    ImageName: z.string().max(60).optional(),
    ImageDescription: z.string().max(256).optional(),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    await ctx.services.images.modify(ctx.regionId, ctx.account, p.ImageId, {
      ...(p.ImageName !== undefined ? { name: p.ImageName } : {}),
      ...(p.ImageDescription !== undefined ? { description: p.ImageDescription } : {}),
    });
    return {};
  },
});
