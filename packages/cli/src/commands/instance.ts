// `kumo instance …`: list, show and the admin action log here; create, the lifecycle actions, ssh
// and the console URL are registered from their own files.
import type { Command } from 'commander';
import type { Filter, Instance, InstanceEvent } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';
import { collectPages } from '../paging.js';
import { registerInstanceActions } from './instance-actions.js';
import { registerInstanceAdmin } from './instance-admin.js';
import { registerInstanceConsole } from './instance-console.js';
import { registerInstanceCreate } from './instance-create.js';
import { registerInstanceSsh } from './instance-ssh.js';

const COLUMNS: Column<Instance>[] = [
  { header: 'ID', value: (i) => i.instanceId },
  { header: 'Name', value: (i) => i.instanceName },
  { header: 'Status', value: (i) => i.status },
  { header: 'Type', value: (i) => i.instanceType },
  { header: 'AZ', value: (i) => i.az },
  { header: 'Private IP', value: (i) => i.privateIpAddress },
  { header: 'Image', value: (i) => i.imageId },
  { header: 'Launched', value: (i) => i.launchTime },
];

const EVENT_COLUMNS: Column<InstanceEvent>[] = [
  { header: 'Requested', value: (e) => e.requestTime },
  { header: 'Action', value: (e) => e.action },
  { header: 'Outcome', value: (e) => e.outcome },
  { header: 'Finished', value: (e) => e.finishTime },
  { header: 'By', value: (e) => e.requestedBy },
  { header: 'Request', value: (e) => e.requestId },
  { header: 'Detail', value: (e) => e.detail },
];

/** Registers the instance command group. */
export function registerInstanceCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('instance').description('Manage instances');
  registerInstanceCreate(group, contextFor);
  registerInstanceAdmin(group, contextFor);

  group
    .command('list')
    .description('List instances (all pages)')
    .option('--id <instanceIds...>', 'only these instances')
    .option('--name <name>', 'only instances with this name')
    .option('--status <statuses...>', 'only these statuses (pending, running, stopped, …)')
    .option('--az <azs...>', 'only these availability zones')
    .option('--subnet <subnetIds...>', 'only these subnets')
    .option('--image <imageIds...>', 'only these images')
    .action(
      async (
        o: {
          id?: string[];
          name?: string;
          status?: string[];
          az?: string[];
          subnet?: string[];
          image?: string[];
        },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const output = ctx.output;
        const filters: Filter[] = [];
        if (o.id?.length) filters.push({ name: 'instanceId', values: o.id });
        if (o.name !== undefined) filters.push({ name: 'name', values: [o.name] });
        if (o.status?.length) filters.push({ name: 'status', values: o.status });
        if (o.az?.length) filters.push({ name: 'az', values: o.az });
        if (o.subnet?.length) filters.push({ name: 'subnetId', values: o.subnet });
        if (o.image?.length) filters.push({ name: 'imageId', values: o.image });
        const instances = await collectPages(async (pageNumber, pageSize) => {
          const r = await ctx
            .getClient()
            .describeInstances({ pageNumber, pageSize, ...(filters.length > 0 && { filters }) });
          return { items: r.instances ?? [], totalCount: r.totalCount ?? 0 };
        });
        ctx.print(
          output === 'json'
            ? renderJson({ instances, totalCount: instances.length })
            : renderTable(COLUMNS, instances),
        );
      },
    );

  group
    .command('show <instanceId>')
    .description('Show one instance')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const { instance: i } = await ctx.getClient().describeInstance(id);
      ctx.print(
        output === 'json'
          ? renderJson(i)
          : renderFields([
              ['ID', i.instanceId],
              ['Name', i.instanceName],
              ['Status', i.status],
              ['Type', i.instanceType],
              ['AZ', i.az],
              ['Image', i.imageId],
              ['Private IP', i.privateIpAddress],
              ['Elastic IP', i.elasticIpAddress || '-'],
              ['Subnet', i.subnetId],
              ['VPC', i.vpcId],
              ['MAC', i.primaryNetworkInterface?.networkInterface?.macAddress],
              ['System disk', `${i.systemDisk?.diskCategory ?? '-'} ${diskSize(i)} GB`],
              ['Key pairs', i.keyNames],
              ['Description', i.description],
              ['Launched', i.launchTime],
            ]),
      );
    });

  group
    .command('events <instanceId>')
    .description("Show an instance's action log (admin)")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const { events } = await ctx
        .getClient()
        .adminRequest<{ events: InstanceEvent[] }>('GET', `/instances/${encodeURIComponent(id)}/events`);
      ctx.print(output === 'json' ? renderJson({ events }) : renderTable(EVENT_COLUMNS, events));
    });
  registerInstanceActions(group, contextFor);
  registerInstanceSsh(group, contextFor);
  registerInstanceConsole(group, contextFor);
}

function diskSize(i: Instance): unknown {
  const d = i.systemDisk as
    { localDisk?: { diskSizeGB?: number }; cloudDisk?: { diskSizeGB?: number } } | undefined;
  return d?.localDisk?.diskSizeGB ?? d?.cloudDisk?.diskSizeGB ?? '-';
}
