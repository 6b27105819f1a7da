// `kumo quota list`: the account's quotas and usage in the region.
import type { Command } from 'commander';
import type { Quota } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderJson, renderTable, type Column } from '../format.js';

const COLUMNS: Column<Quota>[] = [
  { header: 'Resource', value: (q) => q.resourceType },
  { header: 'Used', value: (q) => q.used, right: true },
  { header: 'Limit', value: (q) => q.limit, right: true },
];

/** Registers the quota command group. */
export function registerQuotaCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('quota').description('Show quotas');
  group
    .command('list')
    .description('List quotas and usage')
    .option(
      '--type <types...>',
      'only these resource types (instance, keypair, image, instanceTemplate, imageShare)',
    )
    .action(async (opts: { type?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const filters = opts.type?.length ? [{ name: 'resourceTypes', values: opts.type }] : undefined;
      const result = await ctx.getClient().describeQuotas(filters ? { filters } : {});
      ctx.print(output === 'json' ? renderJson(result) : renderTable(COLUMNS, result.quotas ?? []));
    });
}
