// describeSubnets: GET /v1/regions/{regionId}/subnets — the default subnet of every AZ (JD VPC API shape),
// so users can find the subnetId createInstances needs until the network plane exists.
import { defineRoute } from '../../route.js';
import { subnetView } from '../../views/resources.js';

export default defineRoute({
  operation: 'describeSubnets',
  method: 'GET',
  path: '/v1/regions/{regionId}/subnets',
  errors: [],
  handle: async (ctx) => {
    const subnets = await ctx.services.instances.defaultSubnets(ctx.regionId);
    return {
      subnets: subnets.map(subnetView),
      totalCount: subnets.length,
    };
  },
});
