// `kumo instance-type list`: the instance type catalogue with per-AZ stock.
import type { Command } from 'commander';
import type { Filter, InstanceType } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderJson, renderTable, type Column } from '../format.js';

const COLUMNS: Column<InstanceType>[] = [
  { header: 'Type', value: (t) => t.instanceType },
  { header: 'Family', value: (t) => t.family },
  { header: 'vCPU', value: (t) => t.cpu, right: true },
  { header: 'Memory(MB)', value: (t) => t.memoryMB, right: true },
  { header: 'NICs', value: (t) => t.nicLimit, right: true },
  { header: 'Stock', value: (t) => (t.state ?? []).map((s) => `${s.az}:${s.inStock ? 'yes' : 'no'}`) },
  { header: 'Description', value: (t) => t.desc },
];

/** Registers the instance-type command group. */
export function registerInstanceTypeCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('instance-type').description('Browse instance types');
  group
    .command('list')
    .description('List instance types')
    .option('--az <az>', 'only types offered in this availability zone')
    .option('--type <types...>', 'only these instance types')
    .action(async (opts: { az?: string; type?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const filters: Filter[] = [];
      if (opts.az) filters.push({ name: 'az', values: [opts.az] });
      if (opts.type?.length) filters.push({ name: 'instanceTypes', values: opts.type });
      const result = await ctx.getClient().describeInstanceTypes(filters.length ? { filters } : {});
      ctx.print(output === 'json' ? renderJson(result) : renderTable(COLUMNS, result.instanceTypes ?? []));
    });
}
