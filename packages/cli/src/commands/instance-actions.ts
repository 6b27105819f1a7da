// `kumo instance start|stop|reboot|resize|rebuild|delete`: each acts on one or more ids; a refusal for
// one id does not stop the others; --wait waits for the accepted ones.
import type { Command } from 'commander';
import { KumoApiError, type KumoClient } from '@kumo/client';
import type { CommandContext } from '../context.js';
import type { ContextFor } from '../program.js';
import { CommandExit, describeFailure } from '../errors.js';
import { renderJson } from '../format.js';
import { waitWithProgress } from '../instance-poll.js';
import { withWait, type WaitFlags } from '../options.js';
import type { WaitTarget } from '../wait.js';

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
  const waitFor =
    a.target === 'gone'
      ? 'every instance is deleted'
      : a.target === 'running'
        ? 'every instance is running and its SSH server answers'
        : `every instance is ${a.target}`;
  let cmd = group.command(`${a.verb} <instanceIds...>`).description(a.description);
  if (a.options) cmd = a.options(cmd);
  withWait(cmd, waitFor).action(async (ids: string[], f: ActionFlags, c: Command) => {
    await actOnAll(contextFor(c), ids, a, f);
  });
}

/** Registers the lifecycle actions on the instance group. */
export function registerInstanceActions(group: Command, contextFor: ContextFor): void {
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
}
