// An OVN central for the network tests, started with scripts/ovn-up.sh under a temp root (its own
// NB/SB ovsdb-servers and ovn-northd) and stopped with scripts/ovn-down.sh; plus ovn-nbctl as an
// independent reader of what the driver wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPTS = resolve(import.meta.dirname, '../../../scripts');

export function sh(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<string> {
  return new Promise((res, rej) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err) rej(new Error(`${cmd} ${args.join(' ')}: ${err.message.trim()} ${stderr.trim()}`));
        else res(stdout);
      },
    );
  });
}

export interface Central {
  root: string;
  /** unix: endpoint of the NB database. */
  nb: string;
  sb: string;
  /** tcp: endpoints, when ports were asked for. */
  nbTcp?: string;
  sbTcp?: string;
  nbctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a central; `inNetns` runs it inside that network namespace (its TCP ports listen there). */
export async function startCentral(
  o: { prefix?: string; nbPort?: number; sbPort?: number; listen?: string; inNetns?: string } = {},
): Promise<Central> {
  const root = mkdtempSync(join(tmpdir(), o.prefix ?? 'kovn-central-'));
  const env: Record<string, string> = {};
  if (o.nbPort) env.OVN_NB_PORT = String(o.nbPort);
  if (o.sbPort) env.OVN_SB_PORT = String(o.sbPort);
  if (o.listen) env.OVN_LISTEN_ADDR = o.listen;
  const up = join(SCRIPTS, 'ovn-up.sh');
  const out = o.inNetns
    ? await sh('ip', [
        'netns',
        'exec',
        o.inNetns,
        'env',
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        'bash',
        up,
        root,
      ])
    : await sh('bash', [up, root], env);
  const vars = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  const nb = vars.OVN_NB_DB!;
  return {
    root,
    nb,
    sb: vars.OVN_SB_DB!,
    nbTcp: vars.OVN_NB_TCP,
    sbTcp: vars.OVN_SB_TCP,
    nbctl: (...args) => sh('ovn-nbctl', [`--db=${nb}`, '--no-leader-only', ...args]),
    stop: async () => {
      await sh('bash', [join(SCRIPTS, 'ovn-down.sh'), '--purge', root]).catch(() => undefined);
    },
  };
}

/** One column of every row of a table, as ovn-nbctl prints it bare (sorted). */
export async function column(c: Central, table: string, col: string): Promise<string[]> {
  const out = await c.nbctl(
    '--data=bare',
    '--no-headings',
    '--format=csv',
    `--columns=${col}`,
    'list',
    table,
  );
  return out.split('\n').filter(Boolean).sort();
}
