// ModifyImageSharePermission: shareImage / unShareImage of an own private image. Kumo's accounts are
// named, not numbered: AccountIds are account names (JD's pins), the same ones the vm API takes.
import { z } from 'zod';
import { defineAction } from '../action.js';

export default defineAction({
  action: 'ModifyImageSharePermission',
  operation: 'shareImage',
  params: z.strictObject({
    ImageId: z.string().max(64),
    AccountIds: z.array(z.string().max(64)).min(1).max(20),
    Permission: z.enum(['SHARE', 'CANCEL']),
  }),
  handle: async (ctx) => {
    const p = ctx.params;
    if (p.Permission === 'SHARE')
      await ctx.services.imageSharing.share(ctx.regionId, ctx.account, p.ImageId, p.AccountIds);
    else await ctx.services.imageSharing.unshare(ctx.regionId, ctx.account, p.ImageId, p.AccountIds);
    return {};
  },
});
