// modifyInstanceAttribute: POST …/instances/{instanceId}:modifyInstanceAttribute — name, description.
import { Errors, INSTANCE_NAME, INSTANCE_NAME_RULE, modifyInstanceAttributeBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'modifyInstanceAttribute',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:modifyInstanceAttribute',
  body: modifyInstanceAttributeBody,
  errors: ['invalidParameter', 'instanceNotFound'],
  handle: async (ctx) => {
    if (ctx.body.name !== undefined && !INSTANCE_NAME.test(ctx.body.name)) {
      throw Errors.invalidParameter('name', INSTANCE_NAME_RULE);
    }
    await ctx.services.instances.modifyAttribute(scopeOf(ctx), ctx.params.instanceId!, ctx.body);
    return undefined;
  },
});
