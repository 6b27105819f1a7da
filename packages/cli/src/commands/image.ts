// `kumo image import|list|show|delete`: import registers a built image directory (admin); the rest are
// the JD image operations (create, share and copy are in image-lifecycle.ts).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Image } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { CommandExit, describeFailure } from '../errors.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';
import { oneOf } from '../options.js';
import { collectPages } from '../paging.js';
import { registerImageImportCommands, registerImageLifecycleCommands } from './image-lifecycle.js';

const COLUMNS: Column<Image>[] = [
  { header: 'ID', value: (i) => i.imageId },
  { header: 'Name', value: (i) => i.name },
  { header: 'Status', value: (i) => i.status },
  { header: 'Source', value: (i) => i.imageSource },
  { header: 'Platform', value: (i) => `${i.platform} ${i.osVersion}` },
  { header: 'Arch', value: (i) => i.architecture },
  { header: 'Min disk(GB)', value: (i) => i.systemDiskSizeGB, right: true },
  { header: 'Size(MB)', value: (i) => i.sizeMB, right: true },
  { header: 'Created', value: (i) => i.createTime },
];

function imageFields(i: Image): string {
  return renderFields([
    ['ID', i.imageId],
    ['Name', i.name],
    ['Status', i.status],
    ['Progress(%)', i.progress],
    ['Source', i.imageSource],
    ['Platform', i.platform],
    ['OS version', i.osVersion],
    ['Architecture', i.architecture],
    ['Min disk(GB)', i.systemDiskSizeGB],
    ['Size(MB)', i.sizeMB],
    ['Description', i.desc],
    ['Created', i.createTime],
  ]);
}

/** Registers the image command group. */
export function registerImageCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('image').description('Manage images');

  group
    .command('import <manifest>')
    .description(
      'Register a built image as public (admin); the manifest path is read by kumod, on its machine',
    )
    .option('--name <name>', 'image name (default: the manifest name)')
    .option('--description <text>', 'description')
    .action(async (manifest: string, o: { name?: string; description?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const client = ctx.getClient();
      // kumod needs an absolute path; a relative one means "relative to where I am", as for any command.
      const { image } = await client.adminRequest<{ image: Image }>('POST', '/images:import', {
        body: {
          manifestPath: resolve(manifest),
          regionId: client.regionId,
          ...(o.name !== undefined && { name: o.name }),
          ...(o.description !== undefined && { description: o.description }),
        },
      });
      ctx.print(output === 'json' ? renderJson(image) : imageFields(image));
    });

  group
    .command('list')
    .description('List images (all pages)')
    .option('--id <imageIds...>', 'only these images')
    .option(
      '--source <source>',
      'public, shared, thirdparty or private',
      oneOf('public', 'shared', 'thirdparty', 'private'),
    )
    .option('--platform <platform>', 'only this platform (e.g. "Debian")')
    .option(
      '--status <status>',
      'pending, ready, deleting or error',
      oneOf('pending', 'ready', 'deleting', 'error'),
    )
    .action(
      async (o: { id?: string[]; source?: 'public'; platform?: string; status?: 'ready' }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const output = ctx.output;
        const images = await collectPages(async (pageNumber, pageSize) => {
          const r = await ctx.getClient().describeImages({
            pageNumber,
            pageSize,
            ...(o.id?.length && { ids: o.id }),
            ...(o.source !== undefined && { imageSource: o.source }),
            ...(o.platform !== undefined && { platform: o.platform }),
            ...(o.status !== undefined && { status: o.status }),
          });
          return { items: r.images ?? [], totalCount: r.totalCount ?? 0 };
        });
        ctx.print(
          output === 'json'
            ? renderJson({ images, totalCount: images.length })
            : renderTable(COLUMNS, images),
        );
      },
    );

  group
    .command('show <imageId>')
    .description('Show one image')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const { image } = await ctx.getClient().describeImage(id);
      ctx.print(output === 'json' ? renderJson(image) : imageFields(image));
    });

  group
    .command('delete <imageIds...>')
    .description('Delete images no instance uses')
    .action(async (ids: string[], _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const deleted: string[] = [];
      for (const id of ids) {
        try {
          await ctx.getClient().deleteImage(id);
          deleted.push(id);
        } catch (err) {
          const { code, message } = describeFailure(err);
          if (code !== 1) throw err;
          ctx.note(message.replace(/^Error: /, `Error: ${id}: `) + '\n');
        }
      }
      ctx.print(
        output === 'json' ? renderJson({ deleted }) : deleted.map((id) => `Deleted image ${id}\n`).join(''),
      );
      if (deleted.length < ids.length) throw new CommandExit(1);
    });

  registerImageLifecycleCommands(group, contextFor);
  registerImageImportCommands(group, contextFor);
}
