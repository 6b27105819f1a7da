// The northbound connection the driver uses: reads (selects in one read-only transaction) and one
// write transaction per call. Reconnect policy, kept explicit: a closed connection is replaced on
// the next call; a call in flight when it closed fails, and the caller's task re-runs it (every
// driver call is idempotent, so a write that did commit before the close is simply found done).
import { OvsdbClient, type ConnectOptions, type SelectOp, type SelectedRow } from '@kumo/ovsdb';
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

  constructor(
    readonly endpoint: string,
    private readonly opts: ConnectOptions,
  ) {}

  /** The live client, connecting if there is none. */
  async get(): Promise<OvsdbClient> {
    if (this.closing) throw new Error('network plane: closed');
    if (this.client && !this.client.closed) return this.client;
    this.connecting ??= OvsdbClient.connect(this.endpoint, this.opts).finally(() => {
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
