// Admin resetInstanceState: POST /admin/v1/instances/{instanceId}:resetState — sets the status
// (default `error`) and drops a stuck task, like Nova's reset-state.
import { resetInstanceStateBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'resetInstanceState',
  method: 'POST',
  path: '/admin/v1/instances/{instanceId}:resetState',
  admin: true,
  body: resetInstanceStateBody,
  errors: ['instanceNotFound'],
  handle: async ({ services, params, body, accessKey }) => {
    await services.instanceAdmin.resetState(params.instanceId!, body.status ?? 'error', accessKey);
    return undefined;
  },
});
