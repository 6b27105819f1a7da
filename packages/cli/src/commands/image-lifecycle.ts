// `kumo image create|share|unshare|members|copy`: private images made from instances, shared with
// other accounts by pin (the account name) and copied into other regions.
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
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
