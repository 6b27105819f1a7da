// describeImageMembers: GET /v1/regions/{regionId}/images/{imageId}/members — the pins an own private image is shared with.
import type { DescribeImageMembersResult } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeImageMembers',
  method: 'GET',
  path: '/v1/regions/{regionId}/images/{imageId}/members',
  errors: ['imageNotFound', 'imageNotOwned', 'imageNotPrivate'],
  handle: async (ctx): Promise<DescribeImageMembersResult> => ({
    pins: await ctx.services.imageSharing.members(ctx.regionId, ctx.account, ctx.params.imageId!),
  }),
});
