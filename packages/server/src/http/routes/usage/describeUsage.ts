// describeUsage: GET /v1/regions/{regionId}/usage — the caller's own metered usage in the region,
// priced (filters `startTime`, `endTime`, `resourceId`, `resourceType`; default: this month so far).
import { defineRoute } from '../../route.js';
import { usageQuery, usageReportView } from '../../views/usage.js';

export default defineRoute({
  operation: 'describeUsage',
  method: 'GET',
  path: '/v1/regions/{regionId}/usage',
  errors: ['unknownFilter', 'invalidParameter'],
  handle: async ({ services, account, query, regionId }) =>
    usageReportView(
      await services.usage.report({ ...usageQuery(query, false), accountId: account.id, regionId }),
      false,
    ),
});
