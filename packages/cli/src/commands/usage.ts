// `kumo usage`: metered usage and its priced amount per resource and item for a period — your own
// account's in the current region, or with --all / --account (admin) any account's; as a table,
// JSON or CSV. `kumo usage records` lists the ledger's intervals themselves (admin).
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderCsv, renderJson, renderTable, type Column } from '../format.js';

interface Line {
  accountId?: string;
  regionId: string;
  resourceType: string;
  resourceId: string;
  item: string;
  quantity: number;
  seconds: number;
  unitPricePerHour?: number;
  priced?: false;
  amount: number;
}

interface Report {
  currency: string;
  startTime: string;
  endTime: string;
  lines: Line[];
  totalAmount: number;
}

interface LedgerRecord {
  id: number;
  accountId: string;
  resourceType: string;
  resourceId: string;
  item: string;
  quantity: number;
  startTime: string;
  endTime: string | null;
}

const lineColumns = (admin: boolean): Column<Line>[] => [
  ...(admin ? [{ header: 'Account', value: (l: Line) => l.accountId }] : []),
  { header: 'Type', value: (l) => l.resourceType },
  { header: 'Resource', value: (l) => l.resourceId },
  { header: 'Item', value: (l) => l.item },
  { header: 'Quantity', value: (l) => l.quantity, right: true },
  { header: 'Seconds', value: (l) => l.seconds, right: true },
  { header: 'PricePerHour', value: (l) => l.unitPricePerHour ?? 'unpriced', right: true },
  { header: 'Amount', value: (l) => l.amount, right: true },
];

const RECORD_COLUMNS: Column<LedgerRecord>[] = [
  { header: 'Account', value: (r) => r.accountId },
  { header: 'Type', value: (r) => r.resourceType },
  { header: 'Resource', value: (r) => r.resourceId },
  { header: 'Item', value: (r) => r.item },
  { header: 'Quantity', value: (r) => r.quantity, right: true },
  { header: 'Start', value: (r) => r.startTime },
  { header: 'End', value: (r) => r.endTime ?? 'open' },
];

interface Options {
  all?: boolean;
  account?: string;
  from?: string;
  to?: string;
  resource?: string;
  type?: string;
  csv?: boolean;
}

const filtersOf = (o: Options) => [
  ...(o.account ? [{ name: 'accountId', values: [o.account] }] : []),
  ...(o.from ? [{ name: 'startTime', values: [o.from] }] : []),
  ...(o.to ? [{ name: 'endTime', values: [o.to] }] : []),
  ...(o.resource ? [{ name: 'resourceId', values: [o.resource] }] : []),
  ...(o.type ? [{ name: 'resourceType', values: [o.type] }] : []),
];

const withFilters = (c: Command) =>
  c
    .option('--from <time>', 'start of the period (ISO 8601; default: the 1st of this month)')
    .option('--to <time>', 'end of the period (ISO 8601; default: now)')
    .option('--resource <id>', 'only this resource')
    .option('--type <type>', 'only instance, disk, snapshot, eip or image')
    .option('--csv', 'CSV instead of a table');

/** Registers the usage command group. */
export function registerUsageCommands(program: Command, contextFor: ContextFor): void {
  const group = withFilters(
    program
      .command('usage')
      .description('Show metered usage and its price for a period')
      .option('--all', 'every account (admin)')
      .option('--account <id>', 'only this account (admin)'),
  ).action(async (o: Options, cmd: Command) => {
    const ctx = contextFor(cmd);
    const admin = o.all === true || o.account !== undefined;
    const filters = filtersOf(o);
    const client = ctx.getClient();
    const path = admin ? '/admin/v1/usage' : `/v1/regions/${encodeURIComponent(client.regionId)}/usage`;
    const r = await client.request<Report>('GET', path, { query: filters.length ? { filters } : {} });
    if (o.csv) return ctx.print(renderCsv(lineColumns(admin), r.lines));
    if (ctx.output === 'json') return ctx.print(renderJson(r));
    ctx.print(
      renderTable(lineColumns(admin), r.lines) +
        `\n${r.startTime} to ${r.endTime}: ${r.totalAmount} ${r.currency}\n`,
    );
  });
  group
    .command('records')
    .description(
      "List the usage ledger's intervals, oldest first (admin); takes usage's filters: kumo usage records --resource i-… --csv",
    )
    .action(async (_o: unknown, cmd: Command) => {
      // The filters are the parent's options (commander gives an option to the command that defines it).
      const o = cmd.optsWithGlobals<Options>();
      const ctx = contextFor(cmd);
      if (o.all) throw new UsageError('records always covers every account; use --account to narrow it');
      const filters = filtersOf(o);
      const r = await ctx.getClient().request<{ records: LedgerRecord[] }>('GET', '/admin/v1/usageRecords', {
        query: filters.length ? { filters } : {},
      });
      if (o.csv) return ctx.print(renderCsv(RECORD_COLUMNS, r.records));
      ctx.print(ctx.output === 'json' ? renderJson(r) : renderTable(RECORD_COLUMNS, r.records));
    });
}
