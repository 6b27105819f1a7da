// `kumo keypair create|import|list|delete`: key pair commands on the client; no formatting logic beyond column choice.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { Keypair } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderFields, renderJson, renderTable, type Column } from '../format.js';
import { collectPages } from '../paging.js';

const KEYPAIR_COLUMNS: Column<Keypair>[] = [
  { header: 'Name', value: (k) => k.keyName },
  { header: 'Fingerprint', value: (k) => k.keyFingerprint },
  { header: 'Created', value: (k) => k.createTime },
];

/** Registers the keypair command group. */
export function registerKeypairCommands(program: Command, contextFor: ContextFor): void {
  const group = program.command('keypair').description('Manage SSH key pairs');

  group
    .command('create <name>')
    .description('Create a key pair; the private key is shown only once')
    .option('--out <file>', 'write the private key to FILE (mode 0600) instead of printing it')
    .action(async (name: string, opts: { out?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      // The private key cannot be fetched again, so its file is made (empty, 0600, in a 0700
      // directory made if missing) before the key pair exists on the server, and a key that
      // still cannot be written is deleted again rather than lost.
      const fd = opts.out !== undefined ? reserveKeyFile(opts.out) : undefined;
      let result;
      try {
        result = await ctx.getClient().createKeypair(name);
      } catch (err) {
        if (fd !== undefined) discardKeyFile(fd, opts.out!);
        throw err;
      }
      if (fd !== undefined) {
        try {
          writeSync(fd, result.privateKey.endsWith('\n') ? result.privateKey : result.privateKey + '\n');
          fsyncSync(fd);
          closeSync(fd);
        } catch (err) {
          discardKeyFile(fd, opts.out!);
          await ctx
            .getClient()
            .deleteKeypair(name)
            .catch(() => undefined);
          throw new UsageError(
            `Cannot write the private key to ${opts.out} (${(err as Error).message}); key pair ${name} was deleted again`,
          );
        }
      }
      if (output === 'json') {
        ctx.print(
          renderJson(
            opts.out !== undefined ? { ...result, privateKey: undefined, privateKeyFile: opts.out } : result,
          ),
        );
      } else if (opts.out !== undefined) {
        ctx.print(
          renderFields([
            ['Name', result.keyName],
            ['Fingerprint', result.keyFingerprint],
            ['Private key', opts.out],
          ]),
        );
      } else {
        ctx.print(
          renderFields([
            ['Name', result.keyName],
            ['Fingerprint', result.keyFingerprint],
          ]),
        );
        ctx.print(result.privateKey.endsWith('\n') ? result.privateKey : result.privateKey + '\n');
      }
    });

  group
    .command('import <name>')
    .description('Import an OpenSSH public key')
    .requiredOption('--public-key-file <file>', 'file holding the OpenSSH public key')
    .action(async (name: string, opts: { publicKeyFile: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      let publicKey: string;
      try {
        publicKey = readFileSync(opts.publicKeyFile, 'utf8').trim();
      } catch (e) {
        throw new UsageError(`Cannot read ${opts.publicKeyFile}: ${(e as Error).message}`);
      }
      const result = await ctx.getClient().importKeypair(name, publicKey);
      ctx.print(
        output === 'json'
          ? renderJson(result)
          : renderFields([
              ['Name', result.keyName],
              ['Fingerprint', result.keyFingerprint],
            ]),
      );
    });

  group
    .command('list')
    .description('List key pairs')
    .option('--name <names...>', 'only these key names')
    .action(async (opts: { name?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      const filters = opts.name?.length ? [{ name: 'keyNames', values: opts.name }] : undefined;
      const keypairs = await collectPages(async (pageNumber, pageSize) => {
        const r = await ctx.getClient().describeKeypairs({ pageNumber, pageSize, filters });
        return { items: r.keypairs ?? [], totalCount: r.totalCount ?? 0 };
      });
      ctx.print(
        output === 'json'
          ? renderJson({ keypairs, totalCount: keypairs.length })
          : renderTable(KEYPAIR_COLUMNS, keypairs),
      );
    });

  group
    .command('delete <name>')
    .description('Delete a key pair (instances keep the key already injected)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const output = ctx.output;
      await ctx.getClient().deleteKeypair(name);
      ctx.print(
        output === 'json' ? renderJson({ keyName: name, deleted: true }) : `Deleted key pair ${name}\n`,
      );
    });
}

/** Creates FILE (and its directory, 0700) for a private key; refuses an existing file. */
function reserveKeyFile(file: string): number {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx' creates the file with mode 0600 from the start; it never opens an existing file.
    return openSync(file, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${file} already exists`);
    throw new UsageError(`Cannot create ${file}: ${(e as Error).message}`);
  }
}

/** Closes and removes a reserved key file that will not hold a key. */
function discardKeyFile(fd: number, file: string): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
  rmSync(file, { force: true });
}
