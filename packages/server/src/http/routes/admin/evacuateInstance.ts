// Admin evacuateInstance: POST /admin/v1/instances/{instanceId}:evacuate — brings an instance of
// a host that is down up on another host of its AZ from its shared (rbd) disks, like Nova's
// evacuate; the instance shows `starting`, then `running`. `hostId` picks the host.
import { evacuateInstanceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'evacuateInstance',
  method: 'POST',
  path: '/admin/v1/instances/{instanceId}:evacuate',
  admin: true,
  body: evacuateInstanceBody,
  errors: [
    'instanceNotFound',
    'hostNotFound',
    'hostStillUp',
    'evacuateTarget',
    'unsupported',
    'conflictWithTask',
    'invalidInstanceStatus',
  ],
  handle: async ({ services, params, body, accessKey, requestId }) => {
    await services.instanceEvacuation.evacuate(params.instanceId!, { accessKey, requestId }, body.hostId);
    return undefined;
  },
});
