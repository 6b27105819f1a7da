// Admin describeNetworkPlane: GET /admin/v1/networkPlane — the Kumo ids the network plane holds
// (from the engine itself) and how many inventory rows still wait to converge.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeNetworkPlane',
  method: 'GET',
  path: '/admin/v1/networkPlane',
  admin: true,
  errors: ['unavailable'],
  handle: async ({ services }) => ({ networkPlane: await services.networkPlane.inventory() }),
});
