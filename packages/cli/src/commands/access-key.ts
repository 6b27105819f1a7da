// `kumo access-key create|list|disable|enable|delete`: the caller's own access keys, or with
// `--account ID` (admin) any account's. create shows the secret key once, or writes a config file.
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';

interface KeyInfo {
  accessKey: string;
  status: string;
  createTime: string;
}

const COLUMNS: Column<KeyInfo>[] = [
  { header: 'Access key', value: (k) => k.accessKey },
  { header: 'Status', value: (k) => k.status },
  { header: 'Created', value: (k) => k.createTime },
];

// Own keys live under /v1/accessKeys; an admin reaches any account's under /admin/v1/accounts/ID.
const base = (account: string | undefined) =>
  account === undefined ? '/v1/accessKeys' : `/admin/v1/accounts/${encodeURIComponent(account)}/accessKeys`;
const keyPath = (account: string | undefined, key: string) => `${base(account)}/${encodeURIComponent(key)}`;

/** Registers the access-key command group. */
export function registerAccessKeyCommands(program: Command, contextFor: ContextFor): void {
  const group = program
    .command('access-key')
    .description('Manage access keys (your own, or any account with --account as admin)');
  const accountOption = (c: Command) => c.option('--account <id>', "an account's keys (admin only)");

  accountOption(group.command('create'))
    .description('Create an access key; the secret key is shown only once')
    .option('--out <file>', 'write a kumo config file for the key (mode 0600) instead of printing the secret')
    .action(async (o: { account?: string; out?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      if (o.out !== undefined && existsSync(o.out)) throw new UsageError(`${o.out} already exists`);
      const client = ctx.getClient();
      const k = await client.request<{ accessKey: string; secretKey: string }>('POST', base(o.account), {
        body: {},
      });
      if (o.out !== undefined) {
        const config = { accessKey: k.accessKey, secretKey: k.secretKey, regionId: client.regionId };
        writeFileSync(o.out, JSON.stringify(config, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      }
      const shown = o.out !== undefined ? { accessKey: k.accessKey, configFile: o.out } : k;
      ctx.print(
        ctx.output === 'json'
          ? renderJson(shown)
          : renderFields([
              ['Access key', k.accessKey],
              o.out !== undefined ? ['Config file', o.out] : ['Secret key', k.secretKey],
            ]),
      );
    });

  accountOption(group.command('list'))
    .description('List access keys (never their secrets)')
    .action(async (o: { account?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.getClient().request<{ accessKeys: KeyInfo[] }>('GET', base(o.account));
      ctx.print(ctx.output === 'json' ? renderJson(r) : renderTable(COLUMNS, r.accessKeys));
    });

  for (const verb of ['disable', 'enable'] as const) {
    accountOption(group.command(`${verb} <accessKey>`))
      .description(
        verb === 'disable'
          ? 'Stop a key from signing requests (at once, on every kumod)'
          : 'Let a disabled key sign requests again',
      )
      .action(async (key: string, o: { account?: string }, cmd: Command) => {
        const ctx = contextFor(cmd);
        await ctx.getClient().request('POST', `${keyPath(o.account, key)}:${verb}`, { body: {} });
        ctx.print(ctx.output === 'json' ? renderJson({ accessKey: key, verb }) : `${verb}d ${key}`);
      });
  }

  accountOption(group.command('delete <accessKey>'))
    .description('Delete an access key')
    .action(async (key: string, o: { account?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      await ctx.getClient().request('DELETE', keyPath(o.account, key));
      ctx.print(ctx.output === 'json' ? renderJson({ accessKey: key, deleted: true }) : `deleted ${key}`);
    });
}
