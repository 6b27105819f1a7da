// `kumo instance ssh`: looks up the elastic IP (else the private IP) and runs the system ssh with the user's key file,
// Kumo's own known_hosts and the terminal inherited; kumo exits with ssh's exit code.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { CommandExit, UsageError } from '../errors.js';
import { knownHostsPath, loginAddress, sshArgs, SSH_USER } from '../ssh.js';

/** Registers `instance ssh` on the instance group. */
export function registerInstanceSsh(group: Command, contextFor: ContextFor): void {
  group
    .command('ssh <instanceId> [command...]')
    .description(
      'Log in over SSH (to the elastic IP, else the private IP) with a private key file; put a remote command after --',
    )
    .requiredOption('--key <file>', 'private key file (e.g. from `kumo keypair create --out`)')
    .option('--user <user>', 'login user', 'root')
    .action(async (id: string, command: string[], o: { key: string; user: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      if (!existsSync(o.key)) throw new UsageError(`${o.key} does not exist`);
      if (!SSH_USER.test(o.user)) throw new UsageError(`--user '${o.user}' is not a login name`);
      if (!ctx.io.run) throw new UsageError('this kumo cannot run ssh');
      const { instance } = await ctx.getClient().describeInstance(id);
      const ip = loginAddress(instance);
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
        throw new Error(`${id} has no IP address yet (status ${instance.status})`);
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
