// The JSON-RPC 1.0 connection under the OVSDB client: request ids, pending calls with per-call
// timeouts, answering the server's echo, an inactivity probe, notifications, and one close path.
// It never reconnects: when the stream ends every pending and later call fails with
// CONNECTION_CLOSED and 'close' is emitted once; the owner decides whether to connect again.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { ClientErrorKind, OvsdbClientError, OvsdbError, OvsdbRpcError } from './errors.js';
import { MessageDecoder, classify, encode, type Message } from './framing.js';

/** Limits and timers of one connection. */
export interface RpcOptions {
  /** Default time a call may wait for its answer. */
  callTimeoutMs: number;
  /** Idle time after which we send an echo; no answer within the same time closes the connection. 0 = off. */
  inactivityProbeMs: number;
  /** Bound on one incoming message. */
  maxMessageBytes: number;
  /** Bound on calls awaiting an answer; more are refused rather than queued without limit. */
  maxPendingCalls: number;
}

interface Pending {
  method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Emits 'notification' (method, params) and 'close' (error or undefined). */
export class RpcConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly decoder: MessageDecoder;
  private closedWith: OvsdbError | null = null;
  private probeTimer: NodeJS.Timeout | undefined;
  private lastHeard = Date.now();
  private probeOutstanding = false;

  constructor(
    private readonly stream: Duplex,
    private readonly opts: RpcOptions,
    readonly description: string,
  ) {
    super();
    this.decoder = new MessageDecoder(opts.maxMessageBytes);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (e: Error) => this.shutdown(closed(`${description}: ${e.message}`)));
    stream.on('close', () => this.shutdown(closed(`${description}: connection closed`)));
    if (opts.inactivityProbeMs > 0) {
      this.probeTimer = setInterval(() => this.probe(), opts.inactivityProbeMs);
      this.probeTimer.unref();
    }
  }

  /** Whether the connection has closed (every call now fails). */
  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Sends a request and resolves with its result; rejects with OvsdbRpcError for an `error` answer. */
  call(method: string, params: unknown[], timeoutMs = this.opts.callTimeoutMs): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.pending.size >= this.opts.maxPendingCalls) {
      return Promise.reject(
        new OvsdbClientError(
          ClientErrorKind.PROTOCOL,
          `${method}: ${this.pending.size} calls already pending`,
        ),
      );
    }
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new OvsdbClientError(ClientErrorKind.TIMEOUT, `${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.stream.write(encode({ id, method, params }));
    });
  }

  /** Closes the connection; pending calls fail with CONNECTION_CLOSED. */
  close(): Promise<void> {
    if (this.closedWith) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('close', () => resolve());
      this.shutdown(closed(`${this.description}: closed by the client`));
      this.stream.end();
      this.stream.destroy();
    });
  }

  private onData(chunk: Buffer): void {
    this.lastHeard = Date.now();
    this.probeOutstanding = false;
    let messages: unknown[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      this.fail(e as OvsdbError);
      return;
    }
    for (const raw of messages) {
      let m: Message;
      try {
        m = classify(raw);
      } catch (e) {
        this.fail(e as OvsdbError);
        return;
      }
      if (m.kind === 'response') this.onResponse(m);
      else this.onRequest(m);
    }
  }

  private onResponse(m: Extract<Message, { kind: 'response' }>): void {
    if (typeof m.id !== 'number') return; // not one of ours (we only send numeric ids)
    const p = this.pending.get(m.id);
    if (!p) return; // answer to a call that already timed out
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error !== null) p.reject(new OvsdbRpcError(p.method, m.error));
    else p.resolve(m.result);
  }

  private onRequest(m: Extract<Message, { kind: 'request' }>): void {
    // The server probes idle clients with echo and drops those that do not answer it.
    if (m.method === 'echo' && m.id !== null) {
      this.stream.write(encode({ id: m.id, result: m.params, error: null }));
      return;
    }
    if (m.id === null) this.emit('notification', m.method, m.params);
    else this.stream.write(encode({ id: m.id, result: null, error: `unknown method ${m.method}` }));
  }

  private probe(): void {
    if (this.closedWith) return;
    if (Date.now() - this.lastHeard < this.opts.inactivityProbeMs) return;
    if (this.probeOutstanding) {
      this.fail(
        new OvsdbClientError(
          ClientErrorKind.KEEPALIVE_TIMEOUT,
          `${this.description}: no answer to echo within ${this.opts.inactivityProbeMs} ms`,
        ),
      );
      return;
    }
    this.probeOutstanding = true;
    // Any answer (or other traffic) counts as alive; onData clears probeOutstanding.
    this.call('echo', ['kumo-probe'], this.opts.inactivityProbeMs * 2).catch(() => undefined);
  }

  private fail(e: OvsdbError): void {
    this.shutdown(e);
    this.stream.destroy();
  }

  private shutdown(e: OvsdbError): void {
    if (this.closedWith) return;
    this.closedWith =
      e instanceof OvsdbClientError && e.kind === ClientErrorKind.CONNECTION_CLOSED ? e : closed(e.message);
    if (this.probeTimer) clearInterval(this.probeTimer);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.closedWith);
    }
    this.pending.clear();
    this.emit('close', e);
  }
}

function closed(message: string): OvsdbClientError {
  return new OvsdbClientError(ClientErrorKind.CONNECTION_CLOSED, message);
}
