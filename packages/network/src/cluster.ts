// Choosing the northbound server among the members of a clustered (raft) NB database. Like
// ovn-nbctl's default (--leader-only), the driver talks to the leader only: a follower's reads can
// lag the cluster, and the driver's idempotent steps read before they write, so a stale read
// could write a row twice. A member that loses leadership or its cluster is left: a monitor on its
// `_Server` database closes the connection, and the next call finds the new leader. A standalone
// server (one endpoint, no raft) is always its own leader.
import { OvsdbClient, type ConnectOptions, type Row, type TableUpdates } from '@kumo/ovsdb';
import { NB } from './tx.js';

/** Splits OVN's remote list (`ssl:a:6641,ssl:b:6641`) into endpoints. */
export function parseRemotes(list: string): string[] {
  const out = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (out.length === 0) throw new Error('network plane: no northbound endpoint given');
  return out;
}

/** Whether a `_Server` Database row says this member may be written to and read from. */
function serves(row: Row | undefined): boolean {
  if (!row) return true; // a server without _Server (older than OVS 2.9) is standalone
  return row.model !== 'clustered' || (row.leader === true && row.connected === true);
}

/**
 * Connects to the first endpoint, from `from` on and wrapping around, whose NB database is served
 * by a leader; throws naming why each one was passed over.
 */
export async function connectLeader(
  endpoints: readonly string[],
  opts: ConnectOptions,
  from = 0,
): Promise<{ client: OvsdbClient; index: number }> {
  const why: string[] = [];
  for (let k = 0; k < endpoints.length; k++) {
    const index = (from + k) % endpoints.length;
    const endpoint = endpoints[index]!;
    let client: OvsdbClient | undefined;
    try {
      client = await OvsdbClient.connect(endpoint, opts);
      if (await leads(client)) return { client, index };
      why.push(`${endpoint}: not the leader`);
    } catch (err) {
      why.push(`${endpoint}: ${(err as Error).message}`);
    }
    await client?.close().catch(() => undefined);
  }
  throw new Error(`network plane: no northbound leader (${why.join('; ')})`);
}

/** Checks the member's role and closes the client as soon as it stops leading. */
async function leads(client: OvsdbClient): Promise<boolean> {
  const dbs = await client.listDbs();
  if (!dbs.includes('_Server')) return true;
  let ok = false;
  const watch = (u: TableUpdates) => {
    for (const change of Object.values(u.Database ?? {})) {
      const row = change.new;
      if (row?.name !== NB) continue;
      ok = serves(row);
      if (!ok) void client.close().catch(() => undefined);
    }
  };
  const m = await client.monitor(
    '_Server',
    { Database: { columns: ['name', 'model', 'leader', 'connected'] } },
    watch,
  );
  const initial = Object.values(m.initial.Database ?? {}).find((c) => c.new?.name === NB);
  ok = serves(initial?.new);
  return ok;
}
