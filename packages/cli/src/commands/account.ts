// `kumo account create|list`: user accounts on the admin API; create shows the secret key once.
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';

interface Account {
  accountId: string;
  name: string;
  admin: boolean;
  createTime: string;
}

const COLUMNS: Column<Account>[] = [
  { header: 'ID', value: (a) => a.accountId },
  { header: 'Name', value: (a) => a.name },
  { header: 'Admin', value: (a) => (a.admin ? 'yes' : 'no') },
  { header: 'Created', value: (a) => a.createTime },
];

/** Registers the account command group. */
export function registerAccountCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('account').description('Manage user accounts (admin)');

  group
    .command('create <name>')
    .description('Create an account with its first access key; the secret key is shown only once')
    .option(
      '--out <file>',
      'write a kumo config file for the account (mode 0600) instead of printing the secret',
    )
    .action(async (name: string, o: { out?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      // Refuse before creating: the secret key cannot be fetched again if it has nowhere to go.
      if (o.out !== undefined && existsSync(o.out)) throw new UsageError(`${o.out} already exists`);
      const client = ctx.getClient();
      const a = await client.adminRequest<{
        accountId: string;
        name: string;
        accessKey: string;
        secretKey: string;
      }>('POST', '/accounts', { body: { name } });
      if (o.out !== undefined) {
        const config = { accessKey: a.accessKey, secretKey: a.secretKey, regionId: client.regionId };
        writeFileSync(o.out, JSON.stringify(config, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      }
      const shown = o.out !== undefined ? { ...a, secretKey: undefined, configFile: o.out } : a;
      ctx.print(
        output === 'json'
          ? renderJson(shown)
          : renderFields([
              ['ID', a.accountId],
              ['Name', a.name],
              ['Access key', a.accessKey],
              o.out !== undefined ? ['Config file', o.out] : ['Secret key', a.secretKey],
            ]),
      );
    });

  group
    .command('list')
    .description('List accounts (never their secrets)')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const { accounts } = await ctx.getClient().adminRequest<{ accounts: Account[] }>('GET', '/accounts');
      ctx.print(output === 'json' ? renderJson({ accounts }) : renderTable(COLUMNS, accounts));
    });
}
