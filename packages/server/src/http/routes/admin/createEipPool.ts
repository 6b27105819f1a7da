// Admin createEipPool: POST /admin/v1/eipPools — a prefix of an external network EIPs are drawn from.
import { createEipPoolBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createEipPool',
  method: 'POST',
  path: '/admin/v1/eipPools',
  admin: true,
  body: createEipPoolBody,
  errors: ['invalidParameter', 'externalNetworkNotFound'],
  handle: ({ services, body }) => services.externalNetworks.createPool(body),
});
