// The northbound connection the driver uses: reads (selects in one read-only transaction) and one
// write transaction per call. Reconnect policy, kept explicit: a closed connection is replaced on
// the next call; a call in flight when it closed fails, and the caller's task re-runs it (every
// driver call is idempotent, so a write that did commit before the close is simply found done).
// With several endpoints (a raft cluster), the connection is to the leader (cluster.ts), and a
// reconnect starts with the member after the one that went away.
import type { ConnectOptions, OvsdbClient, SelectOp, SelectedRow } from '@kumo/ovsdb';
import { connectLeader, parseRemotes } from './cluster.js';
import { NB, type WriteTx } from './tx.js';

/** Reads and writes of the NB database, as the driver's operations use them. */
export interface Db {
  read(ops: SelectOp[]): Promise<SelectedRow[][]>;
  write(tx: WriteTx): Promise<void>;
}

/** A lazily (re)connected NB client. */
export class NbConnection implements Db {
  private client: OvsdbClient | undefined;
  private connecting: Promise<OvsdbClient> | undefined;
  private closing = false;
  private readonly endpoints: string[];
  private next = 0;

  /** `endpoint`: one OVSDB endpoint, or OVN's comma-separated list of a cluster's members. */
  constructor(
    readonly endpoint: string,
    private readonly opts: ConnectOptions,
  ) {
    this.endpoints = parseRemotes(endpoint);
  }

  /** The live client, connecting if there is none. */
  async get(): Promise<OvsdbClient> {
    if (this.closing) throw new Error('network plane: closed');
    if (this.client && !this.client.closed) return this.client;
    this.connecting ??= connectLeader(this.endpoints, this.opts, this.next)
      .then(({ client, index }) => {
        this.next = (index + 1) % this.endpoints.length;
        return client;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    this.client = await this.connecting;
    return this.client;
  }

  async read(ops: SelectOp[]): Promise<SelectedRow[][]> {
    const c = await this.get();
    const results = await c.transact(NB, ops);
    return results.map((r) => r.rows);
  }

  async write(tx: WriteTx): Promise<void> {
    if (tx.empty) return;
    const c = await this.get();
    await c.transact(NB, tx.ops);
  }

  async close(): Promise<void> {
    this.closing = true;
    const c = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await c?.close();
  }
}
