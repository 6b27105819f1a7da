// Admin deleteEipPool: DELETE /admin/v1/eipPools/{eipPoolId} — only a pool no EIP was drawn from.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteEipPool',
  method: 'DELETE',
  path: '/admin/v1/eipPools/{eipPoolId}',
  admin: true,
  errors: ['eipPoolNotFound', 'inUse'],
  handle: async ({ services, params }) => {
    await services.externalNetworks.deletePool(params.eipPoolId!);
    return undefined;
  },
});
