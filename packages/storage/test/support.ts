// Test support for the storage backends: the test environment's libvirtd and Ceph (started by
// scripts/libvirtd-up.sh; CEPH_CONF points at it), a throwaway Ceph pool and cephx user per run,
// and a bare domain to attach disks to.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibvirtClient, type Domain } from '@kumo/libvirt';

/** The `ceph` CLI as the test environment's admin. */
export function ceph(...args: string[]): string {
  return execFileSync('ceph', args, { timeout: 60_000 }).toString();
}

/** The `rbd` CLI as the admin. */
export function rbd(...args: string[]): string {
  return execFileSync('rbd', args, { timeout: 60_000 }).toString();
}

/** The environment's monitor as `host:port` (scripts/ceph-up.sh exports it). */
export const cephMonitor = (): string => process.env.CEPH_MON_ADDR ?? '127.0.0.1:3300';

/** True when the test environment runs a Ceph (scripts/ceph-up.sh through libvirtd-up.sh). */
export const haveCeph = (): boolean => Boolean(process.env.CEPH_CONF);

/** A Ceph pool and a cephx user limited to it, for one test run; `drop` removes both. */
export function cephPool(name: string): { pool: string; user: string; key: string; drop(): void } {
  ceph('osd', 'pool', 'create', name, '8', '8');
  ceph('osd', 'pool', 'application', 'enable', name, 'rbd');
  const user = name;
  ceph('auth', 'get-or-create', `client.${user}`, 'mon', 'profile rbd', 'osd', `profile rbd pool=${name}`);
  const key = ceph('auth', 'print-key', `client.${user}`).trim();
  return {
    pool: name,
    user,
    key,
    drop() {
      ceph('osd', 'pool', 'rm', name, name, '--yes-i-really-really-mean-it');
      ceph('auth', 'rm', `client.${user}`);
    },
  };
}

/** A directory libvirtd's qemu user can traverse. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o755);
  return d;
}

/** Defines and starts a bare domain (no OS: QEMU runs, so disks hot-plug into it). */
export async function bareDomain(lv: LibvirtClient, name: string): Promise<Domain> {
  const d = await lv.domainDefineXml(`<domain type='qemu'><name>${name}</name>
  <memory unit='MiB'>64</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features>
  <devices><memballoon model='none'/></devices></domain>`);
  await lv.domainCreate(d);
  return d;
}

/** Stops and undefines a domain, whatever state it is in. */
export async function dropDomain(lv: LibvirtClient, name: string): Promise<void> {
  const d = await lv.domainLookupByName(name).catch(() => undefined);
  if (!d) return;
  await lv.domainDestroy(d).catch(() => undefined);
  await lv.domainUndefineFlags(d, 0).catch(() => undefined);
}
