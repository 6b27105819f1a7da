// unassignSecondaryIps: POST /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:unassignSecondaryIps — frees secondary addresses.
import { unassignSecondaryIpsBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'unassignSecondaryIps',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:unassignSecondaryIps',
  body: unassignSecondaryIpsBody,
  errors: ['networkInterfaceNotFound', 'invalidParameter', 'missingParameter'],
  handle: async ({ services, account, regionId, params, body }) => {
    await services.networkInterfaces.unassignSecondaryIps(
      { accountId: account.id, regionId },
      params.networkInterfaceId!,
      body.secondaryIps ?? [],
    );
    return undefined;
  },
});
