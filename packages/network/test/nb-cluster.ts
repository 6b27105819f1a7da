// A three-member raft cluster of the OVN northbound database for the integration tests, as
// production runs it (deploy/network.md): raft between the members on loopback TCP, clients over
// SSL with certificates of a throw-away CA; each member also on a unix socket for ovs-appctl.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, makeCerts, NB_SCHEMA, waitFor } from '../../ovsdb/test/server.js';

export interface Member {
  /** The client endpoint, `ssl:127.0.0.1:PORT`. */
  ssl: string;
  ctl: string;
  proc: ChildProcess;
  start(): Promise<void>;
}

export interface NbCluster {
  members: Member[];
  tls: { key: string; cert: string; ca: string };
  /** The index of the member that says it leads, once one does. */
  leader(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

const role = (m: Member): string => {
  try {
    const out = execFileSync('ovs-appctl', ['-t', m.ctl, 'cluster/status', 'OVN_Northbound'], {
      encoding: 'utf8',
    });
    return /^Role: (\w+)/m.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'down';
  }
};

export async function startNbCluster(): Promise<NbCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kovn-raft-'));
  const c = makeCerts(dir);
  const members: Member[] = [];
  const raft = await Promise.all([0, 1, 2].map(() => freePort()));
  for (const [i, port] of raft.entries()) {
    const d = join(dir, `m${i}`);
    mkdirSync(d);
    const db = join(d, 'nb.db');
    if (i === 0) execFileSync('ovsdb-tool', ['create-cluster', db, NB_SCHEMA, `tcp:127.0.0.1:${port}`]);
    else
      execFileSync('ovsdb-tool', [
        'join-cluster',
        db,
        'OVN_Northbound',
        `tcp:127.0.0.1:${port}`,
        `tcp:127.0.0.1:${raft[0]}`,
      ]);
    const sslPort = await freePort();
    const unix = join(d, 'nb.sock');
    const m: Member = {
      ssl: `ssl:127.0.0.1:${sslPort}`,
      ctl: join(d, 'ctl'),
      proc: undefined as unknown as ChildProcess,
      async start() {
        m.proc = spawn(
          'ovsdb-server',
          [
            db,
            `--remote=punix:${unix}`,
            `--remote=pssl:${sslPort}:127.0.0.1`,
            `--private-key=${c.serverKey}`,
            `--certificate=${c.serverCert}`,
            `--ca-cert=${c.ca}`,
            `--unixctl=${m.ctl}`,
            `--log-file=${join(d, 'log')}`,
            '--no-chdir',
          ],
          { stdio: 'ignore', env: { ...process.env, OVS_RUNDIR: d, OVS_DBDIR: d, OVS_LOGDIR: d } },
        );
        await waitFor(unix, m.proc, 10_000);
      },
    };
    await m.start();
    members.push(m);
  }
  return {
    members,
    tls: {
      key: readFileSync(c.key, 'utf8'),
      cert: readFileSync(c.cert, 'utf8'),
      ca: readFileSync(c.ca, 'utf8'),
    },
    async leader(timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const i = members.findIndex(
          (m) => m.proc.exitCode === null && m.proc.signalCode === null && role(m) === 'leader',
        );
        if (i >= 0) return i;
        if (Date.now() > end) throw new Error(`no raft leader: ${members.map(role).join(', ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      for (const m of members)
        if (m.proc.exitCode === null && m.proc.signalCode === null) m.proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
