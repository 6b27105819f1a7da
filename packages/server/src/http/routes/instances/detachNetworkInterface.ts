// detachNetworkInterface: POST /v1/regions/{regionId}/instances/{instanceId}:detachNetworkInterface — unplugs a
// secondary interface (the primary stays); the interface shows `detaching`, then `detached`.
import { detachNetworkInterfaceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'detachNetworkInterface',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:detachNetworkInterface',
  body: detachNetworkInterfaceBody,
  errors: [
    'instanceNotFound',
    'networkInterfaceNotFound',
    'networkInterfaceNotAttached',
    'primaryNetworkInterface',
    'instanceNotOnNetworkPlane',
    'invalidInstanceStatus',
    'conflictWithTask',
  ],
  handle: async (ctx) => {
    await ctx.services.nicAttachments.detach(
      scopeOf(ctx),
      ctx.params.instanceId!,
      ctx.body.networkInterfaceId,
    );
    return undefined;
  },
});
