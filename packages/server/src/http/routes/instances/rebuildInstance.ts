// rebuildInstance: POST …/instances/{instanceId}:rebuildInstance — new root disk, same identity.
import { rebuildInstanceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { callerOf, scopeOf } from './caller.js';

export default defineRoute({
  operation: 'rebuildInstance',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:rebuildInstance',
  body: rebuildInstanceBody,
  errors: [
    'instanceNotFound',
    'invalidPassword',
    'imageNotFound',
    'imageNotReady',
    'imageConstraint',
    'imageDiskTooSmall',
    'keypairNotFound',
    'conflictWithTask',
    'invalidInstanceStatus',
  ],
  handle: async (ctx) => {
    await ctx.services.instances.rebuild(scopeOf(ctx), callerOf(ctx), ctx.params.instanceId!, ctx.body);
    return undefined;
  },
});
