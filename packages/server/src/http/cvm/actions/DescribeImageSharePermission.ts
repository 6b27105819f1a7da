// DescribeImageSharePermission: describeImageMembers of an own private image, with when each share began.
import { z } from 'zod';
import { defineAction } from '../action.js';
import { cvmTime } from '../views.js';

export default defineAction({
  action: 'DescribeImageSharePermission',
  operation: 'describeImageMembers',
  params: z.strictObject({ ImageId: z.string().max(64) }),
  handle: async (ctx) => {
    const members = await ctx.services.imageSharing.memberships(
      ctx.regionId,
      ctx.account,
      ctx.params.ImageId,
    );
    return {
      SharePermissionSet: members.map((m) => ({ CreatedTime: cvmTime(m.sharedAt), AccountId: m.name })),
    };
  },
});
