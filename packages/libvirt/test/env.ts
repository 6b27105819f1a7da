// Test environments for the libvirt integration suite: one per transport, each started and torn down by the test itself.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  openSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectOptions } from '../src/index.js';

/** Transports the suite runs over. */
export type TransportKind = 'unix' | 'tcp' | 'tls' | 'ssh';

/** A running environment: the URI to connect to and the virsh URI of the same daemon. */
export interface TestEnv {
  kind: TransportKind;
  uri: string;
  opts: ConnectOptions;
  /** URI for virsh to reach the same libvirtd over its local socket. */
  virshUri: string;
  stop(): Promise<void>;
}

/** A temp directory libvirtd's qemu user can traverse. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o755);
  return d;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess, what: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port} within 30 s: ${log()}`);
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/**
 * A second libvirtd listening on 127.0.0.1 only, with its own config, sockets and pid file. It
 * runs in a private mount namespace with tmpfs over libvirt's state and config directories, so its
 * drivers do not fight the shared daemon over /run/libvirt/qemu/driver.pid and the like.
 */
async function startSecondLibvirtd(
  dir: string,
  listen: string,
): Promise<{ proc: ChildProcess; sock: string }> {
  const run = join(dir, 'run');
  mkdirSync(run);
  writeFileSync(
    join(dir, 'libvirtd.conf'),
    [
      listen,
      'listen_addr = "127.0.0.1"',
      `unix_sock_dir = "${run}"`,
      `log_outputs = "3:file:${dir}/libvirtd.log"`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'start.sh'),
    [
      'set -e',
      'for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /etc/libvirt /var/log/libvirt; do mkdir -p $d; mount -t tmpfs tmpfs $d; done',
      // No virtlogd is reachable inside the private /run/libvirt; QEMU logs go to files instead.
      `printf 'stdio_handler = "file"\\n' > /etc/libvirt/qemu.conf`,
      `exec libvirtd -f ${dir}/libvirtd.conf -p ${dir}/libvirtd.pid --listen`,
    ].join('\n'),
  );
  const errFd = openSync(join(dir, 'libvirtd.log'), 'a');
  const proc = spawn('unshare', ['-m', '--propagation', 'private', 'sh', join(dir, 'start.sh')], {
    stdio: ['ignore', errFd, errFd],
  });
  closeSync(errFd);
  return { proc, sock: join(run, 'libvirt-sock') };
}

/** Starts the environment for one transport. */
export async function startEnv(kind: TransportKind): Promise<TestEnv> {
  if (kind === 'unix') {
    return { kind, uri: 'qemu:///system', opts: {}, virshUri: 'qemu:///system', stop: async () => undefined };
  }
  const dir = tempDir(`kumo-lvtest-${kind}-`);
  const port = await freePort();
  const log = () => {
    try {
      return readFileSync(join(dir, kind === 'ssh' ? 'sshd.log' : 'libvirtd.log'), 'utf8').slice(-2000);
    } catch {
      return '';
    }
  };
  if (kind === 'tcp') {
    const d = await startSecondLibvirtd(
      dir,
      `listen_tls = 0\nlisten_tcp = 1\ntcp_port = "${port}"\nauth_tcp = "none"`,
    );
    await waitForPort(port, d.proc, 'libvirtd (tcp)', log);
    return {
      kind,
      uri: `qemu+tcp://127.0.0.1:${port}/system`,
      opts: {},
      virshUri: `qemu:///system?socket=${d.sock}`,
      stop: () => stopSecond(d.proc, `qemu:///system?socket=${d.sock}`, dir),
    };
  }
  if (kind === 'tls') {
    const pki = join(dir, 'pki');
    makeCertificates(pki);
    const d = await startSecondLibvirtd(
      dir,
      [
        'listen_tcp = 0',
        'listen_tls = 1',
        `tls_port = "${port}"`,
        'auth_tls = "none"',
        `key_file = "${pki}/serverkey.pem"`,
        `cert_file = "${pki}/servercert.pem"`,
        `ca_file = "${pki}/cacert.pem"`,
      ].join('\n'),
    );
    await waitForPort(port, d.proc, 'libvirtd (tls)', log);
    return {
      kind,
      uri: `qemu+tls://127.0.0.1:${port}/system?pkipath=${pki}`,
      opts: {},
      virshUri: `qemu:///system?socket=${d.sock}`,
      stop: () => stopSecond(d.proc, `qemu:///system?socket=${d.sock}`, dir),
    };
  }
  // ssh: an sshd on a loopback port; libvirt is the shared daemon, reached over direct-streamlocal.
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id_client')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_client.pub')));
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      // OpenSSH refuses direct-streamlocal when TCP forwarding is off, so it stays at its default.
      'AllowStreamLocalForwarding yes',
      'X11Forwarding no',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  const proc = spawn(
    '/usr/sbin/sshd',
    ['-D', '-e', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')],
    {
      stdio: 'ignore',
    },
  );
  await waitForPort(port, proc, 'sshd', log);
  const user = execFileSync('id', ['-un']).toString().trim();
  return {
    kind,
    uri: `qemu+ssh://${user}@127.0.0.1:${port}/system?keyfile=${dir}/id_client&known_hosts=${dir}/known_hosts`,
    opts: {},
    virshUri: 'qemu:///system',
    stop: async () => {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopSecond(proc: ChildProcess, virshUri: string, dir: string): Promise<void> {
  // Leftover guests of a failed run would outlive the daemon; destroy them first.
  try {
    const names = execFileSync('virsh', ['-c', virshUri, 'list', '--name'], { timeout: 10_000 })
      .toString()
      .split('\n');
    for (const n of names.filter(Boolean))
      execFileSync('virsh', ['-c', virshUri, 'destroy', n], { timeout: 10_000 });
  } catch {
    // Best effort.
  }
  await stopProcess(proc);
  rmSync(dir, { recursive: true, force: true });
}

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, in libvirt's pkipath layout. */
function makeCertificates(pki: string): void {
  mkdirSync(pki);
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
  o([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'cacert.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Kumo libvirt test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const leaf = (name: string, cn: string, ext: string) => {
    writeFileSync(join(pki, `${name}.ext`), ext);
    o([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}key.pem`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
    ]);
    o([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'cacert.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}cert.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ]);
  };
  leaf(
    'server',
    '127.0.0.1',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  leaf(
    'client',
    'kumo-lvtest-client',
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
}
