// `kumo audit list`: the audit trail, newest first — your own account's, or with --all (admin)
// every account's, optionally one account's (--account).
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderJson, renderTable, type Column } from '../format.js';

interface Entry {
  time: string;
  accountId: string;
  operation: string;
  path: string;
  sourceIp: string;
  httpStatus: number;
  errorStatus?: string;
}

const COLUMNS: Column<Entry>[] = [
  { header: 'Time', value: (e) => e.time },
  { header: 'Account', value: (e) => e.accountId },
  { header: 'Operation', value: (e) => e.operation },
  { header: 'Path', value: (e) => e.path },
  { header: 'From', value: (e) => e.sourceIp },
  {
    header: 'Result',
    value: (e) => (e.errorStatus ? `${e.httpStatus} ${e.errorStatus}` : String(e.httpStatus)),
  },
];

/** Registers the audit command group. */
export function registerAuditCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('audit').description('Show the audit trail of changes');
  group
    .command('list')
    .description('List recorded calls, newest first (at most --limit)')
    .option('--all', 'every account (admin)')
    .option('--account <id>', 'only this account (admin)')
    .option('--operation <name>', 'only this operation, e.g. deleteInstance')
    .option('--since <time>', 'only calls at or after this ISO 8601 time')
    .option('--limit <n>', 'how many (10-100)', '50')
    .action(
      async (
        o: { all?: boolean; account?: string; operation?: string; since?: string; limit: string },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const pageSize = Number(o.limit);
        if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 100)
          throw new UsageError('--limit must be an integer from 10 to 100');
        const admin = o.all === true || o.account !== undefined;
        const filters = [
          ...(o.account ? [{ name: 'accountId', values: [o.account] }] : []),
          ...(o.operation ? [{ name: 'operation', values: [o.operation] }] : []),
          ...(o.since ? [{ name: 'since', values: [o.since] }] : []),
        ];
        const r = await ctx
          .getClient()
          .request<{ entries: Entry[]; totalCount: number }>(
            'GET',
            admin ? '/admin/v1/auditLog' : '/v1/auditLog',
            {
              query: { pageSize, ...(filters.length ? { filters } : {}) },
            },
          );
        ctx.print(ctx.output === 'json' ? renderJson(r) : renderTable(COLUMNS, r.entries));
      },
    );
}
