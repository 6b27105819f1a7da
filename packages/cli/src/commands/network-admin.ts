// `kumo external-network create|list|delete` and `kumo eip-pool create|list|delete` (admin): the
// provider network EIPs live on and the address ranges they are drawn from.
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { renderJson, renderTable, type Column } from '../format.js';

interface ExternalNetwork {
  externalNetworkId: string;
  cidr: string;
  gateway: string;
  physicalNetwork: string;
  vlan: number;
  gatewayChassis: string[];
}
interface EipPool {
  eipPoolId: string;
  regionId: string;
  externalNetworkId: string;
  cidr: string;
  provider: string;
}

const NET_COLUMNS: Column<ExternalNetwork>[] = [
  { header: 'ID', value: (n) => n.externalNetworkId },
  { header: 'CIDR', value: (n) => n.cidr },
  { header: 'Gateway', value: (n) => n.gateway },
  { header: 'Physical network', value: (n) => n.physicalNetwork },
  { header: 'VLAN', value: (n) => n.vlan || '' },
  { header: 'Gateway chassis', value: (n) => n.gatewayChassis.join(',') },
];
const POOL_COLUMNS: Column<EipPool>[] = [
  { header: 'ID', value: (p) => p.eipPoolId },
  { header: 'Region', value: (p) => p.regionId },
  { header: 'CIDR', value: (p) => p.cidr },
  { header: 'Provider', value: (p) => p.provider },
  { header: 'External network', value: (p) => p.externalNetworkId },
];

/** Registers the external-network and eip-pool groups. */
export function registerNetworkAdminCommands(program: Command, contextFor: ContextFor): void {
  const net = program
    .command('external-network')
    .description('Manage provider networks for elastic IPs (admin)');
  net
    .command('create')
    .description('Add a provider network (a bridge mapping name on the gateway hosts)')
    .requiredOption('--cidr <prefix>', "the provider network's prefix")
    .requiredOption('--gateway <ip>', 'its upstream router')
    .option('--physical-network <name>', 'ovn-bridge-mappings name on gateway hosts', 'provider')
    .option('--vlan <id>', 'VLAN tag')
    .option('--gateway-chassis <names...>', 'chassis that may host VPC gateways, highest priority first')
    .action(
      async (
        o: {
          cidr: string;
          gateway: string;
          physicalNetwork: string;
          vlan?: string;
          gatewayChassis?: string[];
        },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const r = await ctx
          .getClient()
          .adminRequest<{ externalNetworkId: string }>('POST', '/externalNetworks', {
            body: {
              cidr: o.cidr,
              gateway: o.gateway,
              physicalNetwork: o.physicalNetwork,
              ...(o.vlan ? { vlan: Number(o.vlan) } : {}),
              gatewayChassis: o.gatewayChassis,
            },
          });
        ctx.print(ctx.output === 'json' ? renderJson(r) : `${r.externalNetworkId}\n`);
      },
    );
  net
    .command('list')
    .description('List provider networks')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx
        .getClient()
        .adminRequest<{ externalNetworks: ExternalNetwork[] }>('GET', '/externalNetworks');
      ctx.print(ctx.output === 'json' ? renderJson(r) : renderTable(NET_COLUMNS, r.externalNetworks));
    });
  net
    .command('delete <id>')
    .description('Remove a provider network without pools')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await contextFor(cmd)
        .getClient()
        .adminRequest('DELETE', `/externalNetworks/${encodeURIComponent(id)}`);
    });

  const pool = program.command('eip-pool').description('Manage elastic IP pools (admin)');
  pool
    .command('create')
    .description('Add an address range of a provider network for elastic IPs')
    .requiredOption('--external-network <id>', 'the provider network')
    .requiredOption('--cidr <prefix>', 'the range, inside the provider network')
    .option('--provider <line>', 'the line users ask for', 'bgp')
    .option('--region <regionId>', "region (default: the external network's)")
    .action(
      async (
        o: { externalNetwork: string; cidr: string; provider: string; region?: string },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const r = await ctx.getClient().adminRequest<{ eipPoolId: string }>('POST', '/eipPools', {
          body: {
            externalNetworkId: o.externalNetwork,
            cidr: o.cidr,
            provider: o.provider,
            regionId: o.region,
          },
        });
        ctx.print(ctx.output === 'json' ? renderJson(r) : `${r.eipPoolId}\n`);
      },
    );
  pool
    .command('list')
    .description('List elastic IP pools')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().adminRequest<{ eipPools: EipPool[] }>('GET', '/eipPools');
      ctx.print(ctx.output === 'json' ? renderJson(r) : renderTable(POOL_COLUMNS, r.eipPools));
    });
  pool
    .command('delete <id>')
    .description('Remove a pool no elastic IP was drawn from')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await contextFor(cmd)
        .getClient()
        .adminRequest('DELETE', `/eipPools/${encodeURIComponent(id)}`);
    });
}
