// `kumo host add|list|show|drain|enable|remove`: libvirt hosts on the admin API.
import type { Command } from 'commander';
import type { Host, HostCapacity as Resource } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';
import { oneOf, positiveNumber } from '../options.js';

const use = (r: Resource | undefined) => (r ? `${r.used}/${r.usable}` : '-');

const COLUMNS: Column<Host>[] = [
  { header: 'ID', value: (h) => h.hostId },
  { header: 'Name', value: (h) => h.name },
  { header: 'AZ', value: (h) => h.az },
  { header: 'Enabled', value: (h) => (h.enabled ? 'yes' : 'no') },
  { header: 'Health', value: (h) => h.health },
  { header: 'vCPUs', value: (h) => use(h.capacity?.vcpus), right: true },
  { header: 'Memory(MB)', value: (h) => use(h.capacity?.memoryMB), right: true },
  { header: 'Disk(GB)', value: (h) => use(h.capacity?.diskGB), right: true },
  { header: 'URI', value: (h) => h.uri },
];

function hostFields(h: Host): string {
  return renderFields([
    ['ID', h.hostId],
    ['Name', h.name],
    ['URI', h.uri],
    ['Region', h.regionId],
    ['AZ', h.az],
    ['Accelerator', h.accelerator],
    // A kumod from before chassis existed sends none.
    ['OVN chassis', h.chassis || '-'],
    ['Enabled', h.enabled ? 'yes' : 'no'],
    ['Health', h.healthReason ? `${h.health} (${h.healthReason})` : h.health],
    ['Last seen', h.lastSeenTime],
    ['Nested virt', h.nestedVirt ? 'yes' : 'no'],
    ['vCPUs used/usable', use(h.capacity?.vcpus)],
    ['Memory(MB) used/usable', use(h.capacity?.memoryMB)],
    ['Disk(GB) used/usable', use(h.capacity?.diskGB)],
    ['Created', h.createTime],
    // A kumod from before warnings existed sends none.
    ...(h.warnings ?? []).map((w): [string, string] => ['Warning', w]),
  ]);
}

/** Registers the host command group. */
export function registerHostCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('host').description('Manage hypervisor hosts (admin)');

  group
    .command('add <name>')
    .description('Register a libvirt host; kumod connects to it first')
    .requiredOption('--uri <uri>', 'libvirt URI, e.g. qemu+tls://host1/system')
    .requiredOption('--az <az>', 'availability zone it serves (created on first use)')
    .requiredOption('--pool-path <dir>', 'directory on the host for the storage pool')
    .option('--accelerator <kind>', 'kvm, qemu or probe', oneOf('kvm', 'qemu', 'probe'), 'probe')
    .option('--cpu-ratio <n>', 'vCPU overcommit ratio (default 4)', positiveNumber)
    .option('--memory-ratio <n>', 'memory overcommit ratio (default 1)', positiveNumber)
    .option('--disk-ratio <n>', 'disk overcommit ratio (default 4)', positiveNumber)
    .option(
      '--chassis <name>',
      "the host's OVN chassis name (ovn-controller's system-id); its instances' ports bind only there",
    )
    .action(
      async (
        name: string,
        o: {
          uri: string;
          az: string;
          poolPath: string;
          accelerator: string;
          cpuRatio?: number;
          memoryRatio?: number;
          diskRatio?: number;
          chassis?: string;
        },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const output = ctx.output;
        const client = ctx.getClient();
        const { host } = await client.adminRequest<{ host: Host }>('POST', '/hosts', {
          body: {
            name,
            uri: o.uri,
            regionId: client.regionId,
            az: o.az,
            poolPath: o.poolPath,
            accelerator: o.accelerator,
            ...(o.cpuRatio !== undefined && { cpuRatio: o.cpuRatio }),
            ...(o.memoryRatio !== undefined && { memoryRatio: o.memoryRatio }),
            ...(o.diskRatio !== undefined && { diskRatio: o.diskRatio }),
            ...(o.chassis !== undefined && { chassis: o.chassis }),
          },
        });
        ctx.print(output === 'json' ? renderJson(host) : hostFields(host));
      },
    );

  group
    .command('list')
    .description('List hosts with health and capacity')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const { hosts } = await ctx.getClient().adminRequest<{ hosts: Host[] }>('GET', '/hosts');
      ctx.print(output === 'json' ? renderJson({ hosts }) : renderTable(COLUMNS, hosts));
    });

  group
    .command('show <host>')
    .description('Show one host (id or name)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const { host } = await ctx
        .getClient()
        .adminRequest<{ host: Host }>('GET', `/hosts/${encodeURIComponent(id)}`);
      ctx.print(output === 'json' ? renderJson(host) : hostFields(host));
    });

  for (const [verb, what] of [
    ['drain', 'Stop placing new instances on a host (running ones stay)'],
    ['enable', 'Allow placements on a drained host again'],
  ] as const) {
    group
      .command(`${verb} <host>`)
      .description(what)
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const ctx = contextFor(cmd);
        const output = ctx.output;
        const { host } = await ctx
          .getClient()
          .adminRequest<{ host: Host }>('POST', `/hosts/${encodeURIComponent(id)}:${verb}`);
        ctx.print(output === 'json' ? renderJson(host) : hostFields(host));
      });
  }

  group
    .command('remove <host>')
    .description('Remove a host that has no instances')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      await ctx.getClient().adminRequest<void>('DELETE', `/hosts/${encodeURIComponent(id)}`);
      ctx.print(output === 'json' ? renderJson({ host: id, removed: true }) : `Removed host ${id}\n`);
    });
}
