// `kumo subnet list`: the default subnet of every availability zone (describeSubnets).
import type { Command } from 'commander';
import type { Subnet } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderJson, renderTable, type Column } from '../format.js';

const COLUMNS: Column<Subnet>[] = [
  { header: 'ID', value: (s) => s.subnetId },
  { header: 'Name', value: (s) => s.subnetName },
  { header: 'AZ', value: (s) => s.az },
  { header: 'CIDR', value: (s) => s.addressPrefix },
  { header: 'VPC', value: (s) => s.vpcId },
];

/** Registers the subnet command group. */
export function registerSubnetCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('subnet').description('Browse subnets');
  group
    .command('list')
    .description('List subnets (one default subnet per availability zone with hosts)')
    .option('--az <azs...>', 'only these availability zones')
    .action(async (o: { az?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const client = ctx.getClient();
      const r = await client.request<{ subnets: Subnet[] }>(
        'GET',
        `/v1/regions/${encodeURIComponent(client.regionId)}/subnets`,
      );
      // describeSubnets answers every subnet at once and takes no filters, so the AZ filter is applied here.
      const subnets = (r.subnets ?? []).filter((s) => !o.az?.length || o.az.includes(s.az));
      ctx.print(
        output === 'json'
          ? renderJson({ subnets, totalCount: subnets.length })
          : renderTable(COLUMNS, subnets),
      );
    });
}
