// A real ovsdb-server for the integration tests: the OVN northbound schema in a fresh database in
// a temp dir, listening on a unix socket, TCP on loopback and (optionally) SSL with throw-away
// certificates. Started by the test, killed in its teardown.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema';

export interface TestServer {
  dir: string;
  unix: string;
  tcp: string;
  ssl?: string;
  tls?: { key: string; cert: string; ca: string };
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** CA, server and client certificates (RSA 2048, one day) made with openssl. */
export function makeCerts(dir: string): {
  ca: string;
  serverKey: string;
  serverCert: string;
  key: string;
  cert: string;
} {
  const p = (f: string) => join(dir, f);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ossl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=kovn-test-ca',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
  );
  for (const who of ['server', 'client']) {
    ossl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${who}`,
      '-keyout',
      p(`${who}.key`),
      '-out',
      p(`${who}.csr`),
    );
    writeFileSync(
      p(`${who}.ext`),
      who === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n',
    );
    ossl(
      'x509',
      '-req',
      '-in',
      p(`${who}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      p(`${who}.ext`),
      '-out',
      p(`${who}.pem`),
    );
  }
  return {
    ca: p('ca.pem'),
    serverKey: p('server.key'),
    serverCert: p('server.pem'),
    key: p('client.key'),
    cert: p('client.pem'),
  };
}

export async function waitFor(path: string, proc: ChildProcess, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(path);
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (proc.exitCode !== null || Date.now() > end) throw new Error(`ovsdb-server did not listen on ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts ovsdb-server with a fresh NB database. */
export async function startServer(o: { ssl?: boolean } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kovn-ovsdb-'));
  const db = join(dir, 'nb.db');
  execFileSync('ovsdb-tool', ['create', db, NB_SCHEMA]);
  const unix = join(dir, 'nb.sock');
  const tcpPort = await freePort();
  const args = [
    db,
    `--remote=punix:${unix}`,
    `--remote=ptcp:${tcpPort}:127.0.0.1`,
    `--unixctl=${join(dir, 'ctl')}`,
    `--log-file=${join(dir, 'log')}`,
    '--no-chdir',
  ];
  let ssl: string | undefined;
  let tls: TestServer['tls'];
  if (o.ssl) {
    const c = makeCerts(dir);
    const sslPort = await freePort();
    args.push(
      `--remote=pssl:${sslPort}:127.0.0.1`,
      `--private-key=${c.serverKey}`,
      `--certificate=${c.serverCert}`,
      `--ca-cert=${c.ca}`,
    );
    ssl = `ssl:127.0.0.1:${sslPort}`;
    const { readFileSync } = await import('node:fs');
    tls = {
      key: readFileSync(c.key, 'utf8'),
      cert: readFileSync(c.cert, 'utf8'),
      ca: readFileSync(c.ca, 'utf8'),
    };
  }
  const proc = spawn('ovsdb-server', args, {
    stdio: 'ignore',
    env: { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir },
  });
  await waitFor(unix, proc, 10_000);
  return {
    dir,
    unix: `unix:${unix}`,
    tcp: `tcp:127.0.0.1:${tcpPort}`,
    ssl,
    tls,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
