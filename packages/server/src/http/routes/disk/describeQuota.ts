// disk describeQuota: GET /v1/regions/{regionId}/quotas signed for the `disk` service — type `disk` or `snapshot`.
import { Errors } from '@kumo/contract';
import { defineRoute } from '../../route.js';

export default defineRoute({
  operation: 'describeDiskQuota',
  method: 'GET',
  path: '/v1/regions/{regionId}/quotas',
  service: 'disk',
  errors: ['invalidParameter', 'missingParameter'],
  handle: ({ services, account, regionId, query }) => {
    const type = query.type;
    if (typeof type !== 'string' || type === '') throw Errors.missingParameter('type');
    return services.disks.describeQuota({ accountId: account.id, regionId }, type);
  },
});
