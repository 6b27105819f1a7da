// Showback over the usage ledger: an account's (or, for the admin, anyone's) metered seconds per
// resource and item inside a period, priced from the operator's list. Reads only: the ledger is
// written by the database in the transactions that change what it meters.
import type { UsageFilter, UsageLine, UsageModel, UsageRecord } from '@kumo/store';
import type { Clock } from '../billing/clock.js';
import type { PriceList } from '../billing/prices.js';

/** One priced line of a usage report. */
export interface PricedLine extends UsageLine {
  /** Price of one unit for one hour; undefined when the price list has none (costs nothing). */
  unitPricePerHour: number | undefined;
  amount: number;
}

/** A usage report for one period. */
export interface UsageReport {
  currency: string;
  from: Date;
  to: Date;
  lines: PricedLine[];
  totalAmount: number;
}

/** The period and filters a caller asks about; a missing period is this month so far. */
export interface UsageQuery {
  accountId?: string;
  regionId?: string;
  resourceId?: string;
  resourceType?: string;
  from?: Date;
  to?: Date;
}

// Amounts are kept to a millionth of the currency unit, summed from the unrounded lines.
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** Usage reports and ledger reads. */
export class UsageService {
  constructor(
    private readonly ledger: UsageModel,
    private readonly prices: PriceList,
    private readonly clock: Clock,
  ) {}

  /** The filter a query means, with the period's defaults filled in. */
  period(q: UsageQuery): UsageFilter {
    const now = this.clock();
    const to = q.to ?? now;
    const from = q.from ?? new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
    return {
      from,
      to,
      ...(q.accountId ? { accountId: q.accountId } : {}),
      ...(q.regionId ? { regionId: q.regionId } : {}),
      ...(q.resourceId ? { resourceId: q.resourceId } : {}),
      ...(q.resourceType ? { resourceType: q.resourceType } : {}),
    };
  }

  /** Seconds and amounts per resource and item. */
  async report(q: UsageQuery): Promise<UsageReport> {
    const f = this.period(q);
    const lines = (await this.ledger.lines(f)).map((l) => {
      const unitPricePerHour = this.prices.perHour(l.item);
      const amount = ((unitPricePerHour ?? 0) * l.quantity * l.seconds) / 3600;
      return { ...l, unitPricePerHour, amount };
    });
    const total = lines.reduce((s, l) => s + l.amount, 0);
    return {
      currency: this.prices.currency,
      from: f.from,
      to: f.to,
      lines: lines.map((l) => ({ ...l, amount: round6(l.amount) })),
      totalAmount: round6(total),
    };
  }

  /** The ledger's records overlapping the period, as stored. */
  records(q: UsageQuery): Promise<UsageRecord[]> {
    return this.ledger.records(this.period(q));
  }
}
