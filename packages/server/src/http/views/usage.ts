// Wire shape of usage reports and ledger records, and the filters the usage reads accept.
import { Errors } from '@kumo/contract';
import type { UsageRecord } from '@kumo/store';
import type { UsageQuery, UsageReport } from '../../services/usage.js';
import { parseFilters } from '../params.js';
import type { DecodedQuery } from '../params.js';
import { formatJdChargeTime } from './time.js';

const RESOURCE_TYPES = ['instance', 'disk', 'snapshot', 'eip', 'image'];
// A report reads at most this much of the ledger at once (a year and a bit).
const MAX_PERIOD_MS = 400 * 86_400_000;

function time(name: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const t = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t.getTime()))
    throw Errors.invalidParameter(name, 'must be an ISO 8601 time');
  return t;
}

/** The filters `startTime`, `endTime` (ISO 8601), `resourceId`, `resourceType` and, for the admin, `accountId`. */
export function usageQuery(query: DecodedQuery, admin: boolean): UsageQuery {
  const f = parseFilters(query, {
    startTime: { single: true, maxValueLength: 40 },
    endTime: { single: true, maxValueLength: 40 },
    resourceId: { single: true, maxValueLength: 64 },
    resourceType: { single: true, maxValueLength: 16 },
    ...(admin ? { accountId: { single: true, maxValueLength: 64 } } : {}),
  });
  const q: UsageQuery = {};
  const from = time('startTime', f.get('startTime')?.[0]);
  const to = time('endTime', f.get('endTime')?.[0]);
  if (from) q.from = from;
  if (to) q.to = to;
  if (from && to && (to <= from || to.getTime() - from.getTime() > MAX_PERIOD_MS))
    throw Errors.invalidParameter('endTime', 'must be after startTime and at most 400 days later');
  const type = f.get('resourceType')?.[0];
  if (type !== undefined) {
    if (!RESOURCE_TYPES.includes(type))
      throw Errors.invalidParameter('resourceType', `must be one of ${RESOURCE_TYPES.join(', ')}`);
    q.resourceType = type;
  }
  const id = f.get('resourceId')?.[0];
  if (id) q.resourceId = id;
  const account = f.get('accountId')?.[0];
  if (account) q.accountId = account;
  return q;
}

/** A report as describeUsage returns it. */
export const usageReportView = (r: UsageReport, admin: boolean) => ({
  currency: r.currency,
  startTime: formatJdChargeTime(r.from),
  endTime: formatJdChargeTime(r.to),
  lines: r.lines.map((l) => ({
    ...(admin ? { accountId: l.accountId } : {}),
    regionId: l.regionId,
    resourceType: l.resourceType,
    resourceId: l.resourceId,
    item: l.item,
    quantity: l.quantity,
    seconds: l.seconds,
    ...(l.unitPricePerHour === undefined ? { priced: false } : { unitPricePerHour: l.unitPricePerHour }),
    amount: l.amount,
  })),
  totalAmount: r.totalAmount,
});

/** One ledger record as adminDescribeUsageRecords returns it. */
export const usageRecordView = (r: UsageRecord) => ({
  id: r.id,
  accountId: r.accountId,
  regionId: r.regionId,
  resourceType: r.resourceType,
  resourceId: r.resourceId,
  item: r.item,
  quantity: r.quantity,
  startTime: formatJdChargeTime(r.startedAt),
  endTime: r.endedAt ? formatJdChargeTime(r.endedAt) : null,
});
