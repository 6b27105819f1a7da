// modifyVpc: PATCH /v1/regions/{regionId}/vpcs/{vpcId} — name and description.
import { modifyVpcBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'modifyVpc',
  method: 'PATCH',
  path: '/v1/regions/{regionId}/vpcs/{vpcId}',
  body: modifyVpcBody,
  errors: ['vpcNotFound', 'invalidParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.vpcs.modifyVpc({ accountId: account.id, regionId }, params.vpcId!, {
      ...(body.vpcName !== undefined ? { name: body.vpcName } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    });
    return undefined;
  },
});
