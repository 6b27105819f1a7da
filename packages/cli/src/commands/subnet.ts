// `kumo subnet list` (describeSubnets: the account's subnets, its default one per AZ first);
// create and delete are vpc.ts's.
import type { Command } from 'commander';
import type { Subnet } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderJson, renderTable, type Column } from '../format.js';
import { registerSubnetWriteCommands } from './vpc.js';

const COLUMNS: Column<Subnet>[] = [
  { header: 'ID', value: (s) => s.subnetId },
  { header: 'Name', value: (s) => s.subnetName },
  { header: 'AZ', value: (s) => s.az },
  { header: 'CIDR', value: (s) => s.addressPrefix },
  { header: 'VPC', value: (s) => s.vpcId },
];

/** Registers the subnet command group. */
export function registerSubnetCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('subnet').description('Manage subnets');
  group
    .command('list')
    .description('List subnets (an account starts with a default subnet per availability zone)')
    .option('--az <azs...>', 'only these availability zones')
    .action(async (o: { az?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const client = ctx.getClient();
      const r = await client.request<{ subnets: Subnet[] }>(
        'GET',
        `/v1/regions/${encodeURIComponent(client.regionId)}/subnets`,
      );
      // The first page (20) holds the default subnets; the AZ filter is applied here.
      const subnets = (r.subnets ?? []).filter((s) => !o.az?.length || o.az.includes(s.az));
      ctx.print(
        output === 'json'
          ? renderJson({ subnets, totalCount: subnets.length })
          : renderTable(COLUMNS, subnets),
      );
    });
  registerSubnetWriteCommands(group, contextFor);
}
