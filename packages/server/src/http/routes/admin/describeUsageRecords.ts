// Admin adminDescribeUsageRecords: GET /admin/v1/usageRecords — the ledger's records themselves,
// one per resource per state interval, oldest first (the same filters as adminDescribeUsage).
import { defineRoute } from '../../route.js';
import { usageQuery, usageRecordView } from '../../views/usage.js';

export default defineRoute({
  operation: 'adminDescribeUsageRecords',
  method: 'GET',
  path: '/admin/v1/usageRecords',
  admin: true,
  errors: ['unknownFilter', 'invalidParameter'],
  handle: async ({ services, query }) => {
    const records = await services.usage.records(usageQuery(query, true));
    return { records: records.map(usageRecordView), totalCount: records.length };
  },
});
