// `kumo storage add|list|remove`: each AZ's storage backend for cloud disks on the admin API.
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { renderJson, renderTable, type Column } from '../format.js';
import { oneOf } from '../options.js';

/** A storage backend as the admin API shows it (the cephx key never comes back). */
interface StorageBackend {
  storageBackendId: string;
  regionId: string;
  az: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
  createTime: string;
}

const where = (b: StorageBackend) =>
  b.kind === 'local'
    ? String(b.config.path)
    : `${String(b.config.cephPool)} @ ${((b.config.monitors as string[] | undefined) ?? []).join(',')} as ${String(b.config.user)}`;

const COLUMNS: Column<StorageBackend>[] = [
  { header: 'ID', value: (b) => b.storageBackendId },
  { header: 'AZ', value: (b) => b.az },
  { header: 'Kind', value: (b) => b.kind },
  { header: 'Name', value: (b) => b.name },
  { header: 'Where', value: where },
];

/** Registers the storage command group. */
export function registerStorageCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('storage').description('Manage the storage backend of each AZ (admin)');

  group
    .command('add <az>')
    .description('Give an AZ its storage for cloud disks: a dir pool per host (local) or a Ceph pool (rbd)')
    .requiredOption('--kind <kind>', 'local or rbd', oneOf('local', 'rbd'))
    .option('--name <name>', 'a name for the backend')
    .option('--path <dir>', 'local: the directory on every host')
    .option('--ceph-pool <pool>', 'rbd: the Ceph pool')
    .option(
      '--monitor <host:port>',
      'rbd: a monitor (repeat for several)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--user <name>', 'rbd: the cephx user (without "client.")')
    .option('--key <base64>', 'rbd: the cephx key (`ceph auth print-key client.<user>`)')
    .action(
      async (
        az: string,
        o: {
          kind: string;
          name?: string;
          path?: string;
          cephPool?: string;
          monitor?: string[];
          user?: string;
          key?: string;
        },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const client = ctx.getClient();
        const { storageBackend } = await client.adminRequest<{ storageBackend: StorageBackend }>(
          'POST',
          '/storageBackends',
          {
            body: {
              regionId: client.regionId,
              az,
              kind: o.kind,
              ...(o.name ? { name: o.name } : {}),
              ...(o.path ? { path: o.path } : {}),
              ...(o.cephPool ? { cephPool: o.cephPool } : {}),
              ...(o.monitor ? { monitors: o.monitor } : {}),
              ...(o.user ? { user: o.user } : {}),
              ...(o.key ? { key: o.key } : {}),
            },
          },
        );
        ctx.print(
          ctx.output === 'json' ? renderJson(storageBackend) : renderTable(COLUMNS, [storageBackend]),
        );
      },
    );

  group
    .command('list')
    .description('List the storage backends')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { storageBackends } = await ctx
        .getClient()
        .adminRequest<{ storageBackends: StorageBackend[] }>('GET', '/storageBackends');
      ctx.print(
        ctx.output === 'json' ? renderJson({ storageBackends }) : renderTable(COLUMNS, storageBackends),
      );
    });

  group
    .command('remove <id>')
    .description('Remove a storage backend no disk or snapshot uses')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      await ctx.getClient().adminRequest<void>('DELETE', `/storageBackends/${encodeURIComponent(id)}`);
      ctx.print(
        ctx.output === 'json'
          ? renderJson({ storageBackend: id, removed: true })
          : `Removed storage backend ${id}\n`,
      );
    });
}
