// `kumo eni list|create|delete` (network interfaces) and `kumo eip list|create|associate|
// disassociate|delete` (elastic IPs).
import type { Command } from 'commander';
import type { ElasticIp, NetworkInterface } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import type { Column } from '../format.js';
import { deleteCommand, listAll, printCreated, printList, regionPath } from './network-shared.js';

const ENI_COLUMNS: Column<NetworkInterface>[] = [
  { header: 'ID', value: (n) => n.networkInterfaceId },
  { header: 'Name', value: (n) => n.networkInterfaceName },
  { header: 'Subnet', value: (n) => n.subnetId },
  { header: 'IP', value: (n) => n.primaryIp.privateIpAddress },
  { header: 'MAC', value: (n) => n.macAddress },
  { header: 'Instance', value: (n) => n.instanceId },
];

const EIP_COLUMNS: Column<ElasticIp>[] = [
  { header: 'ID', value: (e) => e.elasticIpId },
  { header: 'Address', value: (e) => e.elasticIpAddress },
  { header: 'Mbps', value: (e) => e.bandwidthMbps },
  { header: 'Status', value: (e) => e.status },
  { header: 'Interface', value: (e) => e.networkInterfaceId },
  { header: 'Private IP', value: (e) => e.privateIpAddress },
];

/** Registers the eni and eip groups. */
export function registerEniEipCommands(program: Command, contextFor: ContextFor): void {
  const eni = program.command('eni').description('Manage network interfaces');
  eni
    .command('list')
    .description('List network interfaces')
    .option('--subnet <subnetId>', 'only interfaces in this subnet')
    .action(async (o: { subnet?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const items = await listAll<NetworkInterface>(
        ctx.getClient(),
        'networkInterfaces',
        'networkInterfaces',
        {
          subnetId: o.subnet ? [o.subnet] : undefined,
        },
      );
      printList(ctx, 'networkInterfaces', ENI_COLUMNS, items);
    });
  eni
    .command('create')
    .description('Create a network interface in a subnet')
    .requiredOption('--subnet <subnetId>', 'the subnet')
    .option('--name <name>', 'name')
    .option('--ip <address>', 'primary address (default: the lowest free one)')
    .option('--security-group <ids...>', "up to 5 groups of the subnet's VPC (default: its default group)")
    .action(
      async (o: { subnet: string; name?: string; ip?: string; securityGroup?: string[] }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const client = ctx.getClient();
        const r = await client.request<Record<string, unknown>>(
          'POST',
          regionPath(client, '/networkInterfaces/'),
          {
            body: {
              subnetId: o.subnet,
              networkInterfaceName: o.name,
              primaryIpAddress: o.ip,
              securityGroups: o.securityGroup,
            },
          },
        );
        printCreated(ctx, r, 'networkInterfaceId');
      },
    );
  deleteCommand(eni, contextFor, 'networkInterfaces', 'network interface (detached, without EIPs)');

  const eip = program.command('eip').description('Manage elastic IPs');
  eip
    .command('list')
    .description('List elastic IPs')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      printList(
        ctx,
        'elasticIps',
        EIP_COLUMNS,
        await listAll<ElasticIp>(ctx.getClient(), 'elasticIps', 'elasticIps'),
      );
    });
  eip
    .command('create')
    .description('Allocate elastic IPs from the region pool')
    .option('--count <n>', 'how many', '1')
    .option('--bandwidth <mbps>', 'bandwidth limit in Mbps', '10')
    .option('--provider <line>', 'the pool provider (line)', 'bgp')
    .action(async (o: { count: string; bandwidth: string; provider: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const client = ctx.getClient();
      const r = await client.request<{ elasticIpIds: string[] }>('POST', regionPath(client, '/elasticIps/'), {
        body: {
          maxCount: Number(o.count),
          elasticIpSpec: { bandwidthMbps: Number(o.bandwidth), provider: o.provider },
        },
      });
      ctx.print(ctx.output === 'json' ? JSON.stringify(r, null, 2) + '\n' : r.elasticIpIds.join('\n') + '\n');
    });
  for (const verb of ['associate', 'disassociate'] as const) {
    eip
      .command(`${verb} <elasticIpId> <networkInterfaceId>`)
      .description(verb === 'associate' ? "Bind an EIP to an interface's primary address" : 'Unbind an EIP')
      .action(async (eipId: string, nicId: string, _o: unknown, cmd: Command) => {
        const client = contextFor(cmd).getClient();
        await client.request(
          'POST',
          regionPath(client, `/networkInterfaces/${encodeURIComponent(nicId)}:${verb}ElasticIp`),
          { body: { elasticIpId: eipId } },
        );
      });
  }
  deleteCommand(eip, contextFor, 'elasticIps', 'elastic IP (not associated)');
}
