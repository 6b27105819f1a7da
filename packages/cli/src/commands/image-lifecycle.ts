// `kumo image create|share|unshare|members|copy|import-url|tasks`: private images made from
// instances or imported from URLs, shared with other accounts by pin (the account name) and copied
// into other regions.
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { CommandExit, ExitCode, UsageError } from '../errors.js';
import { renderJson } from '../format.js';

/** Adds the image lifecycle commands to the `image` group. */
export function registerImageLifecycleCommands(group: Command, contextFor: ContextFor): void {
  group
    .command('create <instanceId>')
    .description('Make a private image of a stopped instance (pending until its disk is stored)')
    .requiredOption('--name <name>', 'image name')
    .option('--description <text>', 'description', '')
    .action(async (instanceId: string, o: { name: string; description: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().createImage(instanceId, { name: o.name, description: o.description });
      ctx.print(ctx.output === 'json' ? renderJson(r) : `Creating image ${r.imageId}\n`);
    });

  group
    .command('share <imageId> <pins...>')
    .description('Share a private image with accounts (pin = account name)')
    .action(async (imageId: string, pins: string[], _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      await ctx.getClient().shareImage(imageId, pins);
      ctx.print(
        ctx.output === 'json' ? renderJson({ imageId, pins }) : `Shared ${imageId} with ${pins.join(', ')}\n`,
      );
    });

  group
    .command('unshare <imageId> <pins...>')
    .description('Stop sharing a private image with accounts')
    .action(async (imageId: string, pins: string[], _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      await ctx.getClient().unShareImage(imageId, pins);
      ctx.print(
        ctx.output === 'json'
          ? renderJson({ imageId, pins })
          : `Unshared ${imageId} from ${pins.join(', ')}\n`,
      );
    });

  group
    .command('members <imageId>')
    .description('List the accounts (pins) a private image is shared with')
    .action(async (imageId: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().describeImageMembers(imageId);
      ctx.print(ctx.output === 'json' ? renderJson(r) : r.pins.map((p) => `${p}\n`).join(''));
    });

  group
    .command('copy <imageIds...>')
    .description('Copy private images into another region of this installation')
    .requiredOption('--to <region>', 'destination region')
    .action(async (ids: string[], o: { to: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().copyImages({ sourceImageIds: ids, destinationRegion: o.to });
      ctx.print(
        ctx.output === 'json'
          ? renderJson(r)
          : r.copyImages.map((c) => `${c.sourceImageId} -> ${c.destinationImageId}\n`).join(''),
      );
    });
}

/** Polls an image task to its end: prints `done` (with the task's message) or `failed: why` and exits 1. */
async function waitTask(
  ctx: ReturnType<ContextFor>,
  taskId: string,
  done: string,
  failed: string,
): Promise<void> {
  const client = ctx.getClient();
  for (;;) {
    const task = (await client.imageTasks({ taskIds: taskId })).taskSet[0];
    if (task && (task.taskStatus === 'finished' || task.taskStatus === 'failed')) {
      const ok = task.taskStatus === 'finished';
      ctx.print(
        ctx.output === 'json'
          ? renderJson(task)
          : ok
            ? `${done}${task.message ? ` ${task.message}` : ''}\n`
            : `${failed}: ${task.message}\n`,
      );
      if (!ok) throw new CommandExit(ExitCode.apiError);
      return;
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/**
 * Adds `image import-url`, `image export` and `image tasks`: a user's own qcow2 images from
 * http(s) or s3:// URLs, and back out to the image exchange bucket.
 */
export function registerImageImportCommands(group: Command, contextFor: ContextFor): void {
  group
    .command('import-url <url>')
    .description(
      'Import a qcow2 Linux image from an http(s) URL or s3://<exchange bucket>/<your account>/<key> as a private image',
    )
    .requiredOption('--name <name>', 'image name')
    .option('--disk-gb <n>', 'system disk size of instances made from it (40-500, steps of 10)', '40')
    .option('--platform <name>', 'Ubuntu, CentOS or Other Linux', 'Other Linux')
    .option('--os-version <v>', 'OS version shown with the image', '')
    .option('--description <text>', 'description', '')
    .option('--wait', 'wait until the import task ends; exit 1 if it failed')
    .action(
      async (
        url: string,
        o: {
          name: string;
          diskGb: string;
          platform: string;
          osVersion: string;
          description: string;
          wait?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const client = ctx.getClient();
        const diskGb = Number(o.diskGb);
        if (!Number.isInteger(diskGb)) throw new UsageError('--disk-gb must be a whole number of GB');
        const r = await client.importImage({
          architecture: 'x86_64',
          osType: 'linux',
          platform: o.platform,
          diskFormat: 'qcow2',
          systemDiskSizeGB: diskGb,
          imageUrl: url,
          imageName: o.name,
          osVersion: o.osVersion,
          description: o.description,
        });
        if (!o.wait) {
          ctx.print(
            ctx.output === 'json' ? renderJson(r) : `Importing image ${r.imageId} (task ${r.taskId})\n`,
          );
          return;
        }
        await waitTask(ctx, r.taskId, `Imported image ${r.imageId}`, `Import of ${r.imageId} failed`);
      },
    );

  group
    .command('export <imageId>')
    .description(
      "Export a private image's disk (qcow2) into the image exchange bucket, under your account's prefix",
    )
    .requiredOption('--bucket <name>', 'the image exchange bucket (ask your operator)')
    .option('--prefix <p>', 'key prefix after your account name, e.g. exports/', '')
    .option('--wait', 'wait until the export task ends; exit 1 if it failed')
    .action(async (imageId: string, o: { bucket: string; prefix: string; wait?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().exportImage(imageId, {
        roleName: 'kumo',
        ossUrl: `s3://${o.bucket}`,
        ossPrefix: o.prefix,
      });
      if (!o.wait) {
        ctx.print(ctx.output === 'json' ? renderJson(r) : `Exporting image ${imageId} (task ${r.taskId})\n`);
        return;
      }
      await waitTask(ctx, r.taskId, `Exported image ${imageId} to`, `Export of ${imageId} failed`);
    });

  group
    .command('tasks')
    .description('List your image import and export tasks')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().imageTasks({ pageSize: 100 });
      ctx.print(
        ctx.output === 'json'
          ? renderJson(r)
          : r.taskSet
              .map((t) => `${t.taskId}  ${t.imageId}  ${t.taskStatus}  ${t.progress}%  ${t.message}\n`)
              .join(''),
      );
    });
}
