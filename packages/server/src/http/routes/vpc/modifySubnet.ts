// modifySubnet: PATCH /v1/regions/{regionId}/subnets/{subnetId} — name and description.
import { modifySubnetBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifySubnet',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/subnets/{subnetId}',
  body: modifySubnetBody,
  errors: ['subnetNotFound', 'invalidParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.vpcs.modifySubnet({ accountId: account.id, regionId }, params.subnetId!, {
      ...(body.subnetName !== undefined ? { name: body.subnetName } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    return undefined;
  },
});
