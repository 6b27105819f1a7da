// Admin adminDescribeAuditLog: GET /admin/v1/auditLog — every account's audit trail, newest first
// (filters `accountId`, `operation`, `since`).
import { defineRoute } from '../../route.js';
import { auditQuery, auditView } from '../../views/audit.js';

export default defineRoute({
  operation: 'adminDescribeAuditLog',
  method: 'GET',
  path: '/admin/v1/auditLog',
  admin: true,
  errors: ['unknownFilter', 'invalidParameter', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, query }) => {
    const q = auditQuery(query, true);
    const r = await services.audit.page(q.filter, q.offset, q.limit);
    return { entries: r.rows.map(auditView), totalCount: r.total };
  },
});
