// describeAuditLog: GET /v1/auditLog — the caller's own account's audit trail, newest first
// (filters `operation`, `since`).
import { defineRoute } from '../../route.js';
import { auditQuery, auditView } from '../../views/audit.js';

export default defineRoute({
  operation: 'describeAuditLog',
  method: 'GET',
  path: '/v1/auditLog',
  errors: ['unknownFilter', 'invalidParameter', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, query }) => {
    const q = auditQuery(query, false);
    const r = await services.audit.page({ ...q.filter, accountId: account.id }, q.offset, q.limit);
    return { entries: r.rows.map(auditView), totalCount: r.total };
  },
});
