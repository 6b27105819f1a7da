// Admin describeHosts: GET /admin/v1/hosts — every host with health and capacity.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeHosts',
  method: 'GET',
  path: '/admin/v1/hosts',
  admin: true,
  handle: async (ctx) => ({ hosts: await ctx.services.hosts.list() }),
});
