// `kumo vpc list|create|delete` and `kumo subnet create|delete` (JD's vpc service; `subnet list`
// is in subnet.ts).
import type { Command } from 'commander';
import type { Vpc } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import type { Column } from '../format.js';
import { deleteCommand, listAll, printCreated, printList, regionPath } from './network-shared.js';

const COLUMNS: Column<Vpc>[] = [
  { header: 'ID', value: (v) => v.vpcId },
  { header: 'Name', value: (v) => v.vpcName },
  { header: 'CIDR', value: (v) => v.addressPrefix },
  { header: 'Subnets', value: (v) => v.subnets.length },
  { header: 'Created', value: (v) => v.createdTime },
];

/** Registers the vpc group and subnet create/delete. */
export function registerVpcCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('vpc').description('Manage VPCs (private networks)');
  group
    .command('list')
    .description('List VPCs (an account starts with its default VPC)')
    .option('--name <names...>', 'only VPCs with these names')
    .action(async (o: { name?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      printList(
        ctx,
        'vpcs',
        COLUMNS,
        await listAll<Vpc>(ctx.getClient(), 'vpcs', 'vpcs', { vpcNames: o.name }),
      );
    });
  group
    .command('create <name>')
    .description('Create a VPC')
    .option('--cidr <prefix>', 'address prefix, /16–/28 in 10/8, 172.16/12 or 192.168/16')
    .option('--description <text>', 'description')
    .action(async (name: string, o: { cidr?: string; description?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const client = ctx.getClient();
      const r = await client.request<Record<string, unknown>>('POST', regionPath(client, '/vpcs/'), {
        body: { vpcName: name, addressPrefix: o.cidr, description: o.description },
      });
      printCreated(ctx, r, 'vpcId');
    });
  deleteCommand(group, contextFor, 'vpcs', 'VPC (it must have no subnets or groups of its own)');
}

/** Adds create/delete to the subnet group. */
export function registerSubnetWriteCommands(subnet: Command, contextFor: ContextFor): void {
  subnet
    .command('create <name>')
    .description('Create a subnet in a VPC')
    .requiredOption('--vpc <vpcId>', 'the VPC')
    .requiredOption('--cidr <prefix>', "address prefix inside the VPC's, overlapping none of its subnets")
    .option('--az <az>', 'availability zone (default: the first)')
    .option('--description <text>', 'description')
    .action(
      async (
        name: string,
        o: { vpc: string; cidr: string; az?: string; description?: string },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const client = ctx.getClient();
        const r = await client.request<Record<string, unknown>>('POST', regionPath(client, '/subnets/'), {
          body: {
            vpcId: o.vpc,
            subnetName: name,
            addressPrefix: o.cidr,
            az: o.az,
            description: o.description,
          },
        });
        printCreated(ctx, r, 'subnetId');
      },
    );
  deleteCommand(subnet, contextFor, 'subnets', 'subnet (no interface or instance may use it)');
}
