// modifyInstancePassword: POST …/instances/{instanceId}:modifyInstancePassword — effective after the next reboot.
import { modifyInstancePasswordBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { scopeOf } from './caller.js';

export default defineRoute({
  operation: 'modifyInstancePassword',
  method: 'POST',
  path: '/v1/regions/{regionId}/instances/{instanceId}:modifyInstancePassword',
  body: modifyInstancePasswordBody,
  errors: ['instanceNotFound', 'conflictWithTask', 'invalidPassword'],
  handle: async (ctx) => {
    await ctx.services.instances.modifyPassword(scopeOf(ctx), ctx.params.instanceId!, ctx.body.password);
    return undefined;
  },
});
