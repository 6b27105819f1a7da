// `kumo security-group list|create|delete|add-rule|remove-rule` (JD's network security groups).
import type { Command } from 'commander';
import type { NetworkSecurityGroup } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import type { Column } from '../format.js';
import { deleteCommand, listAll, printCreated, printList, regionPath } from './network-shared.js';

const COLUMNS: Column<NetworkSecurityGroup>[] = [
  { header: 'ID', value: (g) => g.networkSecurityGroupId },
  { header: 'Name', value: (g) => g.networkSecurityGroupName },
  { header: 'VPC', value: (g) => g.vpcId },
  { header: 'Type', value: (g) => g.networkSecurityGroupType },
  { header: 'Rules', value: (g) => g.securityGroupRules.length },
];

const PROTOCOLS: Record<string, number> = { all: 300, tcp: 6, udp: 17, icmp: 1 };

/** Registers the security-group group. */
export function registerSecurityGroupCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('security-group').description('Manage security groups');
  group
    .command('list')
    .description('List security groups')
    .option('--vpc <vpcId>', 'only groups of this VPC')
    .action(async (o: { vpc?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const groups = await listAll<NetworkSecurityGroup>(
        ctx.getClient(),
        'networkSecurityGroups',
        'networkSecurityGroups',
        {
          vpcId: o.vpc ? [o.vpc] : undefined,
        },
      );
      printList(ctx, 'networkSecurityGroups', COLUMNS, groups);
    });
  group
    .command('create <name>')
    .description('Create a security group in a VPC')
    .requiredOption('--vpc <vpcId>', 'the VPC')
    .action(async (name: string, o: { vpc: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const client = ctx.getClient();
      const r = await client.request<Record<string, unknown>>(
        'POST',
        regionPath(client, '/networkSecurityGroups/'),
        {
          body: { vpcId: o.vpc, networkSecurityGroupName: name },
        },
      );
      printCreated(ctx, r, 'networkSecurityGroupId');
    });
  group
    .command('add-rule <groupId>')
    .description('Add a rule, e.g. --ingress --protocol tcp --ports 443 --cidr 0.0.0.0/0')
    .option('--egress', 'an egress rule (default: ingress)')
    .option('--protocol <p>', 'all, tcp, udp or icmp', 'tcp')
    .option('--ports <from[-to]>', 'port or range (tcp/udp only; default every port)')
    .option('--cidr <prefix>', 'remote prefix', '0.0.0.0/0')
    .option('--deny', 'a DENY rule (default ALLOW)')
    .option('--priority <n>', 'priority 1 (first) to 100', '100')
    .action(
      async (
        id: string,
        o: {
          egress?: boolean;
          protocol: string;
          ports?: string;
          cidr: string;
          deny?: boolean;
          priority: string;
        },
        cmd: Command,
      ) => {
        const protocol = PROTOCOLS[o.protocol];
        if (protocol === undefined) throw new UsageError('--protocol must be all, tcp, udp or icmp');
        const m = o.ports === undefined ? undefined : /^(\d+)(?:-(\d+))?$/.exec(o.ports);
        if (o.ports !== undefined && !m) throw new UsageError('--ports must be PORT or FROM-TO');
        const client = contextFor(cmd).getClient();
        await client.request(
          'POST',
          regionPath(client, `/networkSecurityGroups/${encodeURIComponent(id)}:addNetworkSecurityGroupRules`),
          {
            body: {
              networkSecurityGroupRuleSpecs: [
                {
                  protocol,
                  direction: o.egress ? 1 : 0,
                  addressPrefix: o.cidr,
                  ruleAction: o.deny ? 'DENY' : 'ALLOW',
                  priority: Number(o.priority),
                  ...(m ? { fromPort: Number(m[1]), toPort: Number(m[2] ?? m[1]) } : {}),
                },
              ],
            },
          },
        );
      },
    );
  group
    .command('remove-rule <groupId> <ruleIds...>')
    .description('Remove rules by id (see -o json list)')
    .action(async (id: string, ruleIds: string[], _o: unknown, cmd: Command) => {
      const client = contextFor(cmd).getClient();
      await client.request(
        'POST',
        regionPath(
          client,
          `/networkSecurityGroups/${encodeURIComponent(id)}:removeNetworkSecurityGroupRules`,
        ),
        { body: { ruleIds } },
      );
    });
  deleteCommand(group, contextFor, 'networkSecurityGroups', 'security group (not a default one, not in use)');
}
