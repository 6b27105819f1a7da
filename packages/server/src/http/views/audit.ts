// Wire shape of audit entries, and the filters both audit reads accept.
import { Errors } from '@kumo/contract';
import type { AuditFilter, AuditRecord } from '@kumo/store';
import { parseFilters, parsePage } from '../params.js';
import type { DecodedQuery } from '../params.js';
import { formatJdTime } from './time.js';

/** One entry as describe*AuditLog returns it. */
export const auditView = (r: AuditRecord) => ({
  time: formatJdTime(r.at),
  accountId: r.accountId,
  accessKey: r.accessKey,
  requestId: r.requestId,
  operation: r.operation,
  method: r.method,
  path: r.path,
  resources: r.resources,
  sourceIp: r.sourceIp,
  httpStatus: r.httpStatus,
  ...(r.errorStatus ? { errorStatus: r.errorStatus } : {}),
});

/** pageNumber/pageSize and the filters `operation`, `since` (ISO 8601) and, for the admin, `accountId`. */
export function auditQuery(
  query: DecodedQuery,
  admin: boolean,
): { filter: AuditFilter; offset: number; limit: number } {
  const page = parsePage(query);
  const f = parseFilters(query, {
    operation: { single: true, maxValueLength: 64 },
    since: { single: true, maxValueLength: 40 },
    ...(admin ? { accountId: { single: true, maxValueLength: 64 } } : {}),
  });
  const filter: AuditFilter = {};
  const op = f.get('operation')?.[0];
  if (op) filter.operation = op;
  const account = f.get('accountId')?.[0];
  if (account) filter.accountId = account;
  const since = f.get('since')?.[0];
  if (since) {
    const t = new Date(since);
    if (Number.isNaN(t.getTime())) throw Errors.invalidParameter('since', 'must be an ISO 8601 time');
    filter.since = t;
  }
  return { filter, offset: page.offset, limit: page.pageSize };
}
