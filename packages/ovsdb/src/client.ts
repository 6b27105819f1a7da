// The OVSDB client (RFC 7047): connect to an endpoint, transact with typed operations, monitor
// tables, echo. It holds one connection and never reconnects by itself (see RpcConnection); no
// schema knowledge and no policy: table and column names are the caller's.
import { EventEmitter } from 'node:events';
import type { Datum, Row } from './datum.js';
import { OvsdbTransactionError, type OperationFailure } from './errors.js';
import { describe, openEndpoint, parseEndpoint, type TlsCredentials } from './endpoint.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './framing.js';
import type { Operation, ResultsOf } from './operations.js';
import { RpcConnection, type RpcOptions } from './rpc.js';

/** Options of connect(); every field has a default. */
export interface ConnectOptions extends Partial<RpcOptions> {
  /** Required for `ssl:` endpoints. */
  tls?: TlsCredentials;
  connectTimeoutMs?: number;
}

/** Per-call options. */
export interface CallOptions {
  timeoutMs?: number;
}

/** What a monitor asks for in one table (RFC 7047 §4.1.5). */
export interface MonitorRequest {
  columns?: string[];
  select?: { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
}

/** One row's change: `old` absent for an insert, `new` absent for a delete. */
export interface RowUpdate {
  old?: Row;
  new?: Row;
}
/** Changes by table, then by row UUID. */
export type TableUpdates = Record<string, Record<string, RowUpdate>>;

/** A running monitor; `initial` is the table contents when it started. */
export interface Monitor {
  readonly id: string;
  readonly initial: TableUpdates;
  /** Stops the updates (monitor_cancel); a no-op once the connection is closed. */
  cancel(): Promise<void>;
}

const DEFAULTS: RpcOptions = {
  callTimeoutMs: 30_000,
  inactivityProbeMs: 5_000,
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  maxPendingCalls: 1_000,
};

/** An OVSDB connection. Emits 'close' (error) once when the connection ends. */
export class OvsdbClient extends EventEmitter {
  private monitorSeq = 0;
  private readonly monitors = new Map<string, (u: TableUpdates) => void>();

  private constructor(private readonly rpc: RpcConnection) {
    super();
    rpc.on('notification', (method: string, params: unknown[]) => {
      if (method !== 'update') return;
      const [id, updates] = params;
      const handler = typeof id === 'string' ? this.monitors.get(id) : undefined;
      handler?.((updates ?? {}) as TableUpdates);
    });
    rpc.on('close', (e: Error) => {
      this.monitors.clear();
      this.emit('close', e);
    });
  }

  /** Connects to `unix:/path`, `tcp:host:port` or `ssl:host:port`. */
  static async connect(endpoint: string, opts: ConnectOptions = {}): Promise<OvsdbClient> {
    const ep = parseEndpoint(endpoint);
    const stream = await openEndpoint(ep, opts.connectTimeoutMs ?? 10_000, opts.tls);
    const rpcOpts: RpcOptions = {
      callTimeoutMs: opts.callTimeoutMs ?? DEFAULTS.callTimeoutMs,
      inactivityProbeMs: opts.inactivityProbeMs ?? DEFAULTS.inactivityProbeMs,
      maxMessageBytes: opts.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
      maxPendingCalls: opts.maxPendingCalls ?? DEFAULTS.maxPendingCalls,
    };
    return new OvsdbClient(new RpcConnection(stream, rpcOpts, describe(ep)));
  }

  /** Where this client is connected, as OVS writes it. */
  get endpoint(): string {
    return this.rpc.description;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.rpc.closed;
  }

  /** The databases the server holds. */
  async listDbs(o: CallOptions = {}): Promise<string[]> {
    return (await this.rpc.call('list_dbs', [], o.timeoutMs)) as string[];
  }

  /** A database's schema (as JSON). */
  async getSchema(
    db: string,
    o: CallOptions = {},
  ): Promise<{ name: string; version: string; tables: object }> {
    return (await this.rpc.call('get_schema', [db], o.timeoutMs)) as {
      name: string;
      version: string;
      tables: object;
    };
  }

  /** Round trip to the server; resolves with what it echoed. */
  async echo(payload: unknown[] = [], o: CallOptions = {}): Promise<unknown[]> {
    return (await this.rpc.call('echo', payload, o.timeoutMs)) as unknown[];
  }

  /**
   * Runs operations atomically. Resolves with one result per operation; if any operation (or the
   * commit) fails, nothing was applied and it rejects with OvsdbTransactionError naming each failure.
   */
  async transact<const T extends readonly Operation[]>(
    db: string,
    ops: T,
    o: CallOptions = {},
  ): Promise<ResultsOf<T>> {
    const raw = await this.rpc.call('transact', [db, ...ops], o.timeoutMs);
    if (!Array.isArray(raw))
      throw new OvsdbTransactionError([{ index: 0, op: 'transact', error: 'malformed reply' }]);
    const failures: OperationFailure[] = [];
    raw.forEach((r: unknown, index) => {
      if (r && typeof r === 'object' && 'error' in r) {
        const e = r as { error: unknown; details?: unknown };
        failures.push({
          index,
          op: ops[index]?.op ?? 'commit',
          error: String(e.error),
          ...(e.details !== undefined ? { details: String(e.details) } : {}),
        });
      }
    });
    if (failures.length) throw new OvsdbTransactionError(failures);
    return raw.slice(0, ops.length) as ResultsOf<T>;
  }

  /**
   * Starts a monitor on `db`: `onUpdate` gets every later change; the initial contents are in the
   * returned Monitor. Updates stop when cancelled or when the connection closes.
   */
  async monitor(
    db: string,
    requests: Record<string, MonitorRequest>,
    onUpdate: (u: TableUpdates) => void,
    o: CallOptions = {},
  ): Promise<Monitor> {
    const id = `m${++this.monitorSeq}`;
    // Register before asking: the server may send an update right after its reply.
    this.monitors.set(id, onUpdate);
    let initial: TableUpdates;
    try {
      initial = ((await this.rpc.call('monitor', [db, id, requests], o.timeoutMs)) ?? {}) as TableUpdates;
    } catch (e) {
      this.monitors.delete(id);
      throw e;
    }
    return {
      id,
      initial,
      cancel: async () => {
        if (!this.monitors.delete(id) || this.rpc.closed) return;
        await this.rpc.call('monitor_cancel', [id], o.timeoutMs);
      },
    };
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.rpc.close();
  }
}

/** A row's column value, typed loosely for callers that read selected rows. */
export type { Datum };
