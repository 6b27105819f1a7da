// Admin createExternalNetwork: POST /admin/v1/externalNetworks — a provider network EIPs live on.
import { createExternalNetworkBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createExternalNetwork',
  method: 'POST',
  path: '/admin/v1/externalNetworks',
  admin: true,
  body: createExternalNetworkBody,
  errors: ['invalidParameter', 'outOfRange'],
  handle: ({ services, body }) => services.externalNetworks.create(body),
});
