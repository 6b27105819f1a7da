// createSubnet: POST /v1/regions/{regionId}/subnets — inside the VPC's prefix, overlapping none of its subnets.
import { createSubnetBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createSubnet',
  method: 'POST',
  path: '/v1/regions/{regionId}/subnets',
  body: createSubnetBody,
  errors: [
    'invalidParameter',
    'invalidAddressPrefix',
    'subnetOverlaps',
    'vpcNotFound',
    'azNotFound',
    'quotaExceeded',
  ],
  handle: ({ services, account, regionId, body }) =>
    services.vpcs.createSubnet(
      { accountId: account.id, regionId },
      {
        vpcId: body.vpcId,
        name: body.subnetName,
        addressPrefix: body.addressPrefix,
        description: body.description,
        az: body.az,
      },
    ),
});
