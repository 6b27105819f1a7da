// resizeInstance: POST …/instances/{instanceId}:resizeInstance — stopped instances only.
import { resizeInstanceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'resizeInstance',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:resizeInstance',
  body: resizeInstanceBody,
  errors: [
    'instanceNotFound',
    'instanceTypeNotFound',
    'invalidParameter',
    'imageConstraint',
    'conflictWithTask',
    'invalidInstanceStatus',
    'noCapacity',
  ],
  handle: async (ctx) => {
    await ctx.services.instances.resize(
      scopeOf(ctx),
      callerOf(ctx),
      ctx.params.instanceId!,
      ctx.body.instanceType,
    );
    return undefined;
  },
});
