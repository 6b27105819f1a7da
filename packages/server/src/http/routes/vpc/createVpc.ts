// createVpc: POST /v1/regions/{regionId}/vpcs — a VPC (optionally with a prefix, /16–/28 in JD's private ranges).
import { createVpcBody } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'createVpc',
  method: 'POST',
  path: '/v1/regions/{regionId}/vpcs',
  body: createVpcBody,
  errors: ['invalidParameter', 'invalidAddressPrefix', 'quotaExceeded', 'defaultVpcPoolExhausted'],
  handle: ({ services, account, regionId, body }) =>
    services.vpcs.createVpc(
      { accountId: account.id, regionId },
      { name: body.vpcName, addressPrefix: body.addressPrefix, description: body.description },
    ),
});
