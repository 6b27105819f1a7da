// Admin addHost: POST /admin/v1/hosts — registers a libvirt host after connecting to it.
import { addHostBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';
import { hostView } from '../../views/host.js';

export default defineRoute({
  operation: 'addHost',
  method: 'POST',
  path: '/admin/v1/hosts',
  admin: true,
  body: addHostBody,
  errors: ['invalidParameter', 'hostUnreachable', 'hostNameInUse'],
  handle: async (ctx) => ({ host: hostView(await ctx.services.hosts.add(ctx.body)) }),
});
