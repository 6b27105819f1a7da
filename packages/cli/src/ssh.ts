// Builds the `ssh` command line `kumo instance ssh` runs; pure, so the exact arguments are unit-tested.
import { join } from 'node:path';

/** What an SSH login to an instance needs. */
export interface SshTarget {
  instanceId: string;
  ip: string;
  user: string;
  keyFile: string;
  knownHostsFile: string;
  /** A remote command (words after `--`); empty for an interactive login. */
  command: string[];
}

/** Kumo's own known_hosts, so guests never touch the user's ~/.ssh/known_hosts. */
export function knownHostsPath(home: string): string {
  return join(home, '.kumo', 'known_hosts');
}

/** Login names ssh and the guest accept; anything else would be read as an ssh option or host. */
export const SSH_USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;

/** The arguments after `ssh`. */
export function sshArgs(t: SshTarget): string[] {
  return [
    '-i',
    t.keyFile,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    `UserKnownHostsFile=${t.knownHostsFile}`,
    // Host keys are remembered per instance, not per IP: a new instance that reuses a deleted one's
    // address is a different machine and must not trip the "host key changed" check.
    '-o',
    `HostKeyAlias=${t.instanceId}`,
    '-l',
    t.user,
    t.ip,
    // `--` ends ssh's own option parsing, so a remote command starting with '-' stays the command.
    ...(t.command.length > 0 ? ['--', ...t.command] : []),
  ];
}

/**
 * The address a user logs in to: the instance's elastic IP when it has one (reachable from the
 * provider network), else its private IP (reachable from inside its VPC or a routed lab).
 */
export function loginAddress(instance: { privateIpAddress?: string; elasticIpAddress?: string }): string {
  return instance.elasticIpAddress || instance.privateIpAddress || '';
}
