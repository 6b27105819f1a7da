// virsh for tests and benches: runs it against one libvirt URI, and removes every object a suite or
// bench created under its name prefix. It never touches objects outside that prefix.
import { execFileSync } from 'node:child_process';

/** Runs `virsh -q -c <uri> …args` and returns stdout; throws with virsh's stderr on failure. */
export type Virsh = (...args: string[]) => string;

/** A virsh runner for `uri` (quiet: no table headers, so output lines are names or values only). */
export function virshAt(uri: string): Virsh {
  return (...args) =>
    execFileSync('virsh', ['-q', '-c', uri, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
}

/** virsh against the machine's system libvirtd (inside the test namespace: the shared test one). */
export const virsh: Virsh = virshAt('qemu:///system');

/** Runs one virsh command whose failure only means "already in that state" (inactive, gone). */
function tolerate(v: Virsh, ...args: string[]): void {
  try {
    v(...args);
  } catch {
    // Not running, inactive or already gone: the state cleanup wants anyway.
  }
}

/**
 * Destroys and undefines every domain and network whose name starts with `prefix`, then the pool
 * `<prefix>pool` (its directory is the caller's to remove): what a finished or crashed run left.
 */
export function removeLibvirtObjects(prefix: string, v: Virsh = virsh): void {
  const named = (list: string) =>
    list
      .split('\n')
      .map((l) => l.trim())
      .filter((n) => n.startsWith(prefix));
  for (const d of named(v('list', '--all', '--name'))) {
    tolerate(v, 'destroy', d);
    v('undefine', d);
  }
  for (const n of named(v('net-list', '--all', '--name'))) {
    tolerate(v, 'net-destroy', n);
    v('net-undefine', n);
  }
  tolerate(v, 'pool-destroy', `${prefix}pool`);
  tolerate(v, 'pool-undefine', `${prefix}pool`);
}
