// modifyInstanceNetworkAttribute: POST /v1/regions/{regionId}/instances/{instanceId}:modifyInstanceNetworkAttribute
// — whether each secondary interface goes with the instance when it is deleted (autoDelete); all or none change.
import { modifyInstanceNetworkAttributeBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'modifyInstanceNetworkAttribute',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:modifyInstanceNetworkAttribute',
  body: modifyInstanceNetworkAttributeBody,
  errors: [
    'instanceNotFound',
    'networkInterfaceNotFound',
    'networkInterfaceNotAttached',
    'primaryNetworkInterface',
  ],
  handle: async (ctx) => {
    await ctx.services.nicAttachments.modify(scopeOf(ctx), ctx.params.instanceId!, ctx.body.networks ?? []);
    return undefined;
  },
});
