// Admin adminDescribeUsage: GET /admin/v1/usage — metered usage of every account (or one, filter
// `accountId`), priced, per resource and item (filters `startTime`, `endTime`, `resourceId`, `resourceType`).
import { defineRoute } from '../../route.js';
import { usageQuery, usageReportView } from '../../views/usage.js';

export default defineRoute({
  operation: 'adminDescribeUsage',
  method: 'GET',
  path: '/admin/v1/usage',
  admin: true,
  errors: ['unknownFilter', 'invalidParameter'],
  handle: async ({ services, query }) =>
    usageReportView(await services.usage.report(usageQuery(query, true)), true),
});
