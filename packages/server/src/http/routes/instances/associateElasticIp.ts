// associateElasticIp: POST …/instances/{instanceId}:associateElasticIp — one EIP per instance, bound to
// its primary interface's primary address (the plane's NAT rule follows through the converger).
import { instanceElasticIpBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';
import { primaryInterfaceOf } from './primary-interface.js';

export default defineRoute({
  // JD's vm service names it associateElasticIp, like the vpc service's (on interfaces): unique here.
  operation: 'associateInstanceElasticIp',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:associateElasticIp',
  body: instanceElasticIpBody,
  errors: [
    'instanceNotFound',
    'instanceNotOnNetworkPlane',
    'instanceHasElasticIp',
    'elasticIpNotFound',
    'elasticIpAssociated',
    'eipPoolExhausted',
  ],
  handle: async (ctx) => {
    const scope = scopeOf(ctx);
    const { instanceId, primary } = await primaryInterfaceOf(ctx, scope);
    await ctx.services.elasticIps.associateWithInstance(scope, instanceId, primary, ctx.body.elasticIpId);
    return undefined;
  },
});
