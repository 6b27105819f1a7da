// disassociateElasticIp: POST …/instances/{instanceId}:disassociateElasticIp — unbinds the EIP from the
// instance's primary interface; the EIP stays the account's, free to associate elsewhere.
import { instanceElasticIpBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';
import { primaryInterfaceOf } from './primary-interface.js';

export default defineRoute({
  // JD's vm service names it disassociateElasticIp, like the vpc service's (on interfaces): unique here.
  operation: 'disassociateInstanceElasticIp',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:disassociateElasticIp',
  body: instanceElasticIpBody,
  errors: ['instanceNotFound', 'instanceNotOnNetworkPlane', 'elasticIpNotFound', 'elasticIpNotAssociated'],
  handle: async (ctx) => {
    const scope = scopeOf(ctx);
    const { primary } = await primaryInterfaceOf(ctx, scope);
    await ctx.services.elasticIps.disassociate(scope, primary, { elasticIpId: ctx.body.elasticIpId });
    return undefined;
  },
});
