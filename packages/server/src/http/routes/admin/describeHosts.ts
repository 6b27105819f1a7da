// Admin describeHosts: GET /admin/v1/hosts — every host with health and capacity.
import { defineRoute } from '../../route.js';
import { hostView } from '../../views/host.js';

export default defineRoute({
  operation: 'describeHosts',
  method: 'GET',
  path: '/admin/v1/hosts',
  admin: true,
  errors: [],
  handle: async (ctx) => ({ hosts: (await ctx.services.hosts.list()).map(hostView) }),
});
