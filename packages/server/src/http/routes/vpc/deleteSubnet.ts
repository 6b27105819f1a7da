// deleteSubnet: DELETE /v1/regions/{regionId}/subnets/{subnetId} — only a subnet no interface or instance uses.
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'deleteSubnet',
  method: 'DELETE',
  path: '/v1/regions/{regionId}/subnets/{subnetId}',
  errors: ['subnetNotFound', 'subnetInUse'],
  handle: async ({ services, account, regionId, params }) => {
    await services.vpcs.deleteSubnet({ accountId: account.id, regionId }, params.subnetId!);
    return undefined;
  },
});
