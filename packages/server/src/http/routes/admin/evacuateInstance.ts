// Admin evacuateInstance: POST /admin/v1/instances/{instanceId}:evacuate — brings an instance of
// a host that is down up on another host of its AZ from its shared (rbd) disks, like Nova's
// evacuate; the instance shows `starting`, then `running`.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'evacuateInstance',
  method: 'POST',
  path: '/admin/v1/instances/{instanceId}:evacuate',
  admin: true,
  errors: ['instanceNotFound', 'hostStillUp', 'unsupported', 'conflictWithTask', 'invalidInstanceStatus'],
  handle: async ({ services, params, accessKey, requestId }) => {
    await services.instanceEvacuation.evacuate(params.instanceId!, { accessKey, requestId });
    return undefined;
  },
});
