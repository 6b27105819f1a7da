// `kumo instance …`: list/show, the power and lifecycle actions on one or more ids (with --wait),
// the admin action log, and `ssh` into an instance; create lives in instance-create.ts.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { KumoApiError, type KumoClient } from '@kumo/client';
import type { Filter, Instance } from '@kumo/contract';
import type { CommandContext } from '../context.js';
import type { ContextFor } from '../program.js';
import { CommandExit, describeFailure, UsageError } from '../errors.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';
import { waitWithProgress } from '../instance-poll.js';
import { withWait, type WaitFlags } from '../options.js';
import { collectPages } from '../paging.js';
import { knownHostsPath, sshArgs, SSH_USER } from '../ssh.js';
import type { WaitTarget } from '../wait.js';
import { registerInstanceCreate } from './instance-create.js';

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

interface InstanceEvent {
  action: string;
  requestedBy: string;
  requestId: string;
  requestTime: string;
  outcome: string;
  detail: string;
  finishTime: string;
}

const EVENT_COLUMNS: Column<InstanceEvent>[] = [
  { header: 'Requested', value: (e) => e.requestTime },
  { header: 'Action', value: (e) => e.action },
  { header: 'Outcome', value: (e) => e.outcome },
  { header: 'Finished', value: (e) => e.finishTime },
  { header: 'By', value: (e) => e.requestedBy },
  { header: 'Request', value: (e) => e.requestId },
  { header: 'Detail', value: (e) => e.detail },
];

/** Options of the action commands: --wait/--timeout plus those of resize and rebuild. */
interface ActionFlags extends WaitFlags {
  type?: string;
  password?: string;
  image?: string;
  key?: string;
}

/** One lifecycle action: how to call it and what --wait waits for. */
interface Action {
  verb: string;
  description: string;
  target: WaitTarget;
  call: (client: KumoClient, id: string, f: ActionFlags) => Promise<void>;
  /** Adds the action's own options. */
  options?: (cmd: Command) => Command;
}

/**
 * Calls the action on every id (a refusal for one id does not stop the others), waits for the ones
 * that were accepted, and exits 1 if any was refused.
 */
async function actOnAll(ctx: CommandContext, ids: string[], a: Action, f: ActionFlags): Promise<void> {
  const output = ctx.output;
  const client = ctx.getClient();
  const accepted: string[] = [];
  for (const id of ids) {
    try {
      await a.call(client, id, f);
      accepted.push(id);
    } catch (err) {
      if (!(err instanceof KumoApiError)) throw err;
      ctx.note(describeFailure(err).message.replace(/^Error: /, `Error: ${id}: `) + '\n');
    }
  }
  ctx.print(
    output === 'json'
      ? renderJson({ action: a.verb, instanceIds: accepted })
      : accepted.map((id) => `${id}\n`).join(''),
  );
  if (f.wait && accepted.length > 0) await waitWithProgress(ctx, accepted, a.target, f.timeout);
  if (accepted.length < ids.length) throw new CommandExit(1);
}

function registerAction(group: Command, contextFor: ContextFor, a: Action): void {
  const waitFor = a.target === 'gone' ? 'every instance is deleted' : `every instance is ${a.target}`;
  let cmd = group.command(`${a.verb} <instanceIds...>`).description(a.description);
  if (a.options) cmd = a.options(cmd);
  withWait(cmd, waitFor).action(async (ids: string[], f: ActionFlags, c: Command) => {
    await actOnAll(contextFor(c), ids, a, f);
  });
}

/** Registers the instance command group. */
export function registerInstanceCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('instance').description('Manage instances');
  registerInstanceCreate(group, contextFor);

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

  registerAction(group, contextFor, {
    verb: 'start',
    description: 'Start stopped instances',
    target: 'running',
    call: (c, id) => c.startInstance(id),
  });
  registerAction(group, contextFor, {
    verb: 'stop',
    description: 'Stop running instances',
    target: 'stopped',
    call: (c, id) => c.stopInstance(id),
  });
  registerAction(group, contextFor, {
    verb: 'reboot',
    description: 'Reboot running instances',
    target: 'running',
    call: (c, id) => c.rebootInstance(id),
  });
  registerAction(group, contextFor, {
    verb: 'resize',
    description: 'Change the instance type of stopped instances',
    target: 'stopped',
    call: (c, id, f) => c.resizeInstance(id, f.type as string),
    options: (cmd) => cmd.requiredOption('--type <instanceType>', 'the new instance type'),
  });
  registerAction(group, contextFor, {
    verb: 'rebuild',
    description: 'Give stopped instances a new system disk from an image (same id, IP and type)',
    target: 'stopped',
    call: (c, id, f) =>
      c.rebuildInstance(id, {
        password: f.password as string,
        ...(f.image !== undefined && { imageId: f.image }),
        ...(f.key !== undefined && { keyNames: [f.key] }),
      }),
    options: (cmd) =>
      cmd
        .requiredOption('--password <password>', 'the new login password')
        .option('--image <imageId>', 'image to rebuild from (default: the current one)')
        .option('--key <keyName>', 'key pair to install'),
  });
  registerAction(group, contextFor, {
    verb: 'delete',
    description: 'Delete instances and their system disks',
    target: 'gone',
    call: (c, id) => c.deleteInstance(id),
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

  group
    .command('ssh <instanceId> [command...]')
    .description('Log in over SSH to the private IP with a private key file; put a remote command after --')
    .requiredOption('--key <file>', 'private key file (e.g. from `kumo keypair create --out`)')
    .option('--user <user>', 'login user', 'root')
    .action(async (id: string, command: string[], o: { key: string; user: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      if (!existsSync(o.key)) throw new UsageError(`${o.key} does not exist`);
      if (!SSH_USER.test(o.user)) throw new UsageError(`--user '${o.user}' is not a login name`);
      if (!ctx.io.run) throw new UsageError('this kumo cannot run ssh');
      const { instance } = await ctx.getClient().describeInstance(id);
      const ip = instance.privateIpAddress;
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip ?? '')) {
        throw new UsageError(`${id} has no private IP address yet (status ${instance.status})`);
      }
      const knownHosts = knownHostsPath(ctx.home);
      mkdirSync(dirname(knownHosts), { recursive: true, mode: 0o700 });
      const code = await ctx.io.run(
        'ssh',
        sshArgs({ instanceId: id, ip, user: o.user, keyFile: o.key, knownHostsFile: knownHosts, command }),
      );
      if (code !== 0) throw new CommandExit(code);
    });
}

function diskSize(i: Instance): unknown {
  const d = i.systemDisk as
    { localDisk?: { diskSizeGB?: number }; cloudDisk?: { diskSizeGB?: number } } | undefined;
  return d?.localDisk?.diskSizeGB ?? d?.cloudDisk?.diskSizeGB ?? '-';
}
