// assignSecondaryIps: POST /v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:assignSecondaryIps — given addresses and/or a count.
import { assignSecondaryIpsBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'assignSecondaryIps',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkInterfaces/{networkInterfaceId}:assignSecondaryIps',
  body: assignSecondaryIpsBody,
  errors: [
    'networkInterfaceNotFound',
    'ipOutsideSubnet',
    'ipInUse',
    'noFreeIp',
    'outOfRange',
    'missingParameter',
  ],
  handle: async ({ services, account, regionId, params, body }) => {
    const ips = [...(body.secondaryIps ?? []), ...(body.secondaryIpAddress ? [body.secondaryIpAddress] : [])];
    await services.networkInterfaces.assignSecondaryIps(
      { accountId: account.id, regionId },
      params.networkInterfaceId!,
      { ips, count: body.secondaryIpCount },
    );
    return undefined;
  },
});
