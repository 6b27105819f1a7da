// createNetworkInterface: POST /v1/regions/{regionId}/networkInterfaces — an interface in a subnet of the account, with its groups and addresses.
import { createNetworkInterfaceBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createNetworkInterface',
  method: 'POST',
  path: '/v1/regions/{regionId}/networkInterfaces',
  body: createNetworkInterfaceBody,
  errors: [
    'invalidParameter',
    'subnetNotFound',
    'securityGroupNotFound',
    'tooManySecurityGroups',
    'securityGroupOfOtherVpc',
    'ipOutsideSubnet',
    'ipInUse',
    'noFreeIp',
    'outOfRange',
    'quotaExceeded',
  ],
  handle: ({ services, account, regionId, body }) =>
    services.networkInterfaces.create(
      { accountId: account.id, regionId },
      {
        subnetId: body.subnetId,
        az: body.az,
        name: body.networkInterfaceName,
        description: body.description,
        primaryIpAddress: body.primaryIpAddress,
        secondaryIpAddresses: body.secondaryIpAddresses,
        secondaryIpCount: body.secondaryIpCount,
        securityGroups: body.securityGroups,
      },
    ),
});
