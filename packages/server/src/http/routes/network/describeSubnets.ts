// describeSubnets: GET /v1/regions/{regionId}/subnets — the default subnet of every AZ (JD VPC API shape),
// so users can find the subnetId createInstances needs until the network plane exists.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeSubnets',
  method: 'GET',
  path: '/v1/regions/{regionId}/subnets',
  handle: async (ctx) => {
    const subnets = await ctx.services.instances.defaultSubnets(ctx.regionId);
    return {
      subnets: subnets.map((s) => ({
        subnetId: s.id,
        subnetName: `default-${s.az}`,
        vpcId: s.vpcId,
        addressPrefix: s.cidr,
        az: s.az,
        description: 'Default subnet of the availability zone',
      })),
      totalCount: subnets.length,
    };
  },
});
