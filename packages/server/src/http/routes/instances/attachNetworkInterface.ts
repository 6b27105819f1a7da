// attachNetworkInterface: POST /v1/regions/{regionId}/instances/{instanceId}:attachNetworkInterface — a
// secondary interface of the instance's AZ and VPC, hot-plugged into a running guest or into a stopped one's definition.
import { attachNetworkInterfaceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'attachNetworkInterface',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:attachNetworkInterface',
  body: attachNetworkInterfaceBody,
  errors: [
    'instanceNotFound',
    'networkInterfaceNotFound',
    'networkInterfaceAttached',
    'primaryNetworkInterface',
    'nicLimitExceeded',
    'instanceNotOnNetworkPlane',
    'invalidInstanceStatus',
    'conflictWithTask',
    'invalidParameter',
  ],
  handle: async (ctx) => {
    await ctx.services.nicAttachments.attach(
      scopeOf(ctx),
      ctx.params.instanceId!,
      ctx.body.networkInterfaceId,
      ctx.body.autoDelete ?? false,
    );
    return undefined;
  },
});
