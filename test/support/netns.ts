// Processes and network namespaces for throw-away test hosts: running commands, finding and
// killing every process of a namespace. It refuses to signal the caller's or the machine's namespace.
import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';

/** Runs a command with a timeout; rejects with its stderr in the message. */
export function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message.trim()} ${stderr.trim()}`));
      else resolve(stdout);
    });
  });
}

/** Like run(), for cleanup steps whose failure only means "already gone". */
export async function tryRun(cmd: string, args: string[]): Promise<void> {
  await run(cmd, args, 10_000).catch(() => undefined);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// kthreadd: always in the machine's initial namespaces, and (unlike pid 1 here) readable.
export const MACHINE_PID = 2;

export function netnsIdOf(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** Pids whose network namespace is `id` (like `ip netns pids`, but works without the name's mount). */
export function pidsInNetns(id: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && netnsIdOf(Number(entry)) === id) pids.push(Number(entry));
  }
  return pids;
}

/** Refuses ids that are not a test host's, so a corrupt state file can never kill the caller's or the machine's processes. */
function assertForeignNetns(id: string): void {
  if (!/^net:\[\d+\]$/.test(id) || id === netnsIdOf('self') || id === netnsIdOf(MACHINE_PID)) {
    throw new Error(`refusing to kill processes of network namespace ${id}`);
  }
}

function signalAll(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already exited.
    }
  }
}

/** SIGTERM everything in the namespace (libvirtd then stops cleanly), SIGKILL what is left after 3 s. */
export async function killNetns(id: string): Promise<void> {
  assertForeignNetns(id);
  signalAll(pidsInNetns(id), 'SIGTERM');
  for (let i = 0; i < 30 && pidsInNetns(id).length > 0; i++) await sleep(100);
  for (let i = 0; i < 20 && pidsInNetns(id).length > 0; i++) {
    signalAll(pidsInNetns(id), 'SIGKILL');
    await sleep(100);
  }
  const left = pidsInNetns(id);
  if (left.length > 0) throw new Error(`processes survived SIGKILL in ${id}: ${left.join(' ')}`);
}
