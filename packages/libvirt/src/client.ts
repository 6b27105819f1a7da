// LibvirtClient: connects a transport, runs the session handshake, exposes every procedure, routes events, reconnects.
import { ClientErrorCode, LibvirtError } from './errors.js';
import {
  LifecycleKind,
  RebootKind,
  EventSubscription,
  type DomainLifecycleEvent,
  type DomainRebootEvent,
  type EventKind,
} from './events.js';
import type { PacketHeader } from './framing.js';
import { Feature, Proc } from './procedures/numbers.js';
import { SecretProcedures } from './procedures/secret.js';
import { Program, RpcConnection, type RpcOptions } from './rpc.js';
import type { Duplex } from 'node:stream';
import { parseLibvirtUri, type TransportOverrides } from './transports/uri.js';
import { withTimeout, type Transport } from './transports/transport.js';
import { writeDomain, type Domain } from './types.js';
import { XdrReader } from './xdr.js';

/** Options of LibvirtClient.connect. */
export interface ConnectOptions extends RpcOptions, TransportOverrides {
  /** Use this transport instead of the one the URI names (the URI still gives the name to open). */
  transport?: Transport;
  /** Open read-only (CONNECT_OPEN flag 1). */
  readOnly?: boolean;
  /**
   * Reconnect by itself after the connection drops, with exponential backoff between attempts
   * (initial 200 ms, at most maxDelayMs). Calls made while disconnected fail with CONNECTION_CLOSED.
   */
  autoReconnect?: boolean | { maxDelayMs?: number };
}

const AUTH_NONE = 0;
const AUTH_POLKIT = 2;

/**
 * A connection to one libvirtd. Create with `LibvirtClient.connect(uri)`. Emits 'disconnect'
 * (LibvirtError) when the session drops unexpectedly and 'reconnect' after it is re-established
 * (event subscriptions are re-registered before 'reconnect').
 */
export class LibvirtClient extends SecretProcedures {
  private session: RpcConnection | undefined;
  private userClosed = false;
  private readonly subs = new Set<EventSubscription<unknown>>();
  private reconnecting: Promise<void> | undefined;

  private constructor(
    private readonly transport: Transport,
    /** The name passed to CONNECT_OPEN, e.g. "qemu:///system". */
    readonly name: string,
    private readonly opts: ConnectOptions,
  ) {
    super();
  }

  /** Connects to the libvirtd a URI names (default `qemu:///system` over the local unix socket). */
  static async connect(uri = 'qemu:///system', opts: ConnectOptions = {}): Promise<LibvirtClient> {
    const parsed = opts.transport
      ? { transport: opts.transport, name: parseName(uri) }
      : parseLibvirtUri(uri, opts);
    const client = new LibvirtClient(parsed.transport, parsed.name, opts);
    await client.open();
    return client;
  }

  /** Where this client connects, for messages. */
  get description(): string {
    return this.transport.description;
  }

  /**
   * Opens a byte stream to a unix socket on libvirtd's host through the same transport (local, or
   * SSH's direct-streamlocal); transports that reach no host sockets (TCP, TLS) refuse.
   */
  openHostSocket(path: string): Promise<Duplex> {
    if (!this.transport.openSocket)
      return Promise.reject(new Error(`${this.transport.description} cannot reach sockets on the host`));
    return this.transport.openSocket(path);
  }

  /** True while a session is open. */
  get connected(): boolean {
    return this.session !== undefined && !this.session.closed;
  }

  protected get rpc(): RpcConnection {
    const s = this.session;
    if (!s || s.closed) throw LibvirtClient.notConnected();
    return s;
  }

  /** Calls a procedure of any program by number, for procedures without a typed method. */
  callRaw<T>(
    prog: number,
    proc: number,
    encode?: Parameters<RpcConnection['call']>[2],
    decode?: (r: XdrReader) => T,
  ): Promise<T> {
    return this.rpc.call(prog, proc, encode, decode);
  }

  /** Subscribes to lifecycle events of one domain, or of all domains when `dom` is omitted. */
  domainEventLifecycle(dom: Domain | null = null): Promise<EventSubscription<DomainLifecycleEvent>> {
    return this.subscribe(LifecycleKind, dom);
  }

  /** Subscribes to guest reboot events. */
  domainEventReboot(dom: Domain | null = null): Promise<EventSubscription<DomainRebootEvent>> {
    return this.subscribe(RebootKind, dom);
  }

  /**
   * Drops the current session (if any) and opens a new one, re-registering event subscriptions.
   * Pending calls of the old session are rejected with CONNECTION_CLOSED.
   */
  async reconnect(): Promise<void> {
    this.session?.destroy();
    await this.open();
  }

  /** Closes the connection politely (CONNECT_CLOSE) and stops any reconnecting. */
  async close(): Promise<void> {
    this.userClosed = true;
    const s = this.session;
    for (const sub of [...this.subs]) void sub.close().catch(() => undefined);
    if (!s || s.closed) return;
    try {
      await withTimeout(2000, 'CONNECT_CLOSE', s.call(Program.REMOTE, Proc.CONNECT_CLOSE), () => undefined);
    } catch {
      // Closing anyway; the daemon cleans up when the socket goes.
    }
    await s.end();
  }

  private async subscribe<T>(kind: EventKind<T>, dom: Domain | null): Promise<EventSubscription<T>> {
    const sub = new EventSubscription<T>(kind, dom, (s) => this.unsubscribe(s));
    await this.register(sub, this.rpc);
    this.subs.add(sub as EventSubscription<unknown>);
    return sub;
  }

  private async register<T>(sub: EventSubscription<T>, rpc: RpcConnection): Promise<void> {
    sub.callbackId = await rpc.call(
      Program.REMOTE,
      Proc.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      (w) => {
        w.int(sub.kind.eventId);
        w.optional(sub.dom, writeDomain);
      },
      (r) => r.int(),
    );
  }

  private async unsubscribe<T>(sub: EventSubscription<T>): Promise<void> {
    this.subs.delete(sub as EventSubscription<unknown>);
    const s = this.session;
    if (!s || s.closed) return;
    try {
      await s.call(Program.REMOTE, Proc.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, (w) =>
        w.int(sub.callbackId),
      );
    } catch (e) {
      if (!(e instanceof LibvirtError) || e.code !== ClientErrorCode.CONNECTION_CLOSED) throw e;
    }
  }

  private onMessage(h: PacketHeader, payload: Buffer): void {
    if (h.prog !== Program.REMOTE) return;
    for (const sub of this.subs) {
      if (sub.kind.messageProc !== h.proc) continue;
      try {
        const r = new XdrReader(payload);
        if (r.int() !== sub.callbackId) continue;
        sub.deliver(sub.kind.decode(r));
      } catch (e) {
        // A malformed event is reported, never thrown into the socket's data handler.
        this.emit('protocolError', e);
      }
      return;
    }
  }

  private async open(): Promise<void> {
    if (this.userClosed) throw LibvirtClient.notConnected();
    const sock = await this.transport.open().catch((e: unknown) => {
      throw new LibvirtError(
        {
          code: ClientErrorCode.CONNECTION_CLOSED,
          message: `cannot connect to ${this.transport.description}: ${(e as Error).message}`,
        },
        undefined,
        e,
      );
    });
    const rpc = new RpcConnection(sock, {
      ...this.opts,
      oneFramePerWrite: this.opts.oneFramePerWrite ?? this.transport.oneFramePerWrite,
    });
    rpc.on('message', (h: PacketHeader, p: Buffer) => this.onMessage(h, p));
    try {
      await this.handshake(rpc);
      for (const sub of this.subs) await this.register(sub, rpc);
    } catch (e) {
      rpc.destroy();
      throw e;
    }
    this.session = rpc;
    rpc.once('close', (err: LibvirtError) => this.onSessionClosed(rpc, err));
  }

  private async handshake(rpc: RpcConnection): Promise<void> {
    const R = Program.REMOTE;
    const types = await rpc.call(R, Proc.AUTH_LIST, undefined, (r) => r.array((x) => x.int(), 20));
    if (types.length > 0 && !types.includes(AUTH_NONE)) {
      if (types.includes(AUTH_POLKIT)) {
        await rpc.call(R, Proc.AUTH_POLKIT, undefined, (r) => r.int());
      } else {
        throw new LibvirtError({
          code: ClientErrorCode.AUTH_UNSUPPORTED,
          message: `libvirtd requires authentication this client does not implement (types ${types.join(',')}; SASL is not supported)`,
        });
      }
    }
    if ((this.opts.keepaliveIntervalMs ?? 5000) > 0) {
      // Asking for the keepalive feature makes the daemon ping us, so it also detects our death.
      await rpc.call(
        R,
        Proc.CONNECT_SUPPORTS_FEATURE,
        (w) => w.int(Feature.PROGRAM_KEEPALIVE),
        (r) => r.int(),
      );
    }
    await rpc.call(R, Proc.CONNECT_OPEN, (w) => {
      w.optional(this.name, (x, v) => x.string(v));
      w.uint(this.opts.readOnly ? 1 : 0);
    });
  }

  private onSessionClosed(rpc: RpcConnection, err: LibvirtError): void {
    if (this.session !== rpc || this.userClosed) return;
    this.emit('disconnect', err);
    if (this.opts.autoReconnect) void this.reconnectLoop();
  }

  private reconnectLoop(): Promise<void> {
    if (this.reconnecting) return this.reconnecting;
    const max =
      typeof this.opts.autoReconnect === 'object' ? (this.opts.autoReconnect.maxDelayMs ?? 30_000) : 30_000;
    this.reconnecting = (async () => {
      let delay = 200;
      while (!this.userClosed && !this.connected) {
        try {
          await this.open();
          this.emit('reconnect');
          break;
        } catch (e) {
          this.emit('reconnectError', e);
          await new Promise((r) => setTimeout(r, delay).unref());
          delay = Math.min(delay * 2, max);
        }
      }
    })().finally(() => {
      this.reconnecting = undefined;
    });
    return this.reconnecting;
  }
}

function parseName(uri: string): string {
  const u = new URL(uri);
  const driver = u.protocol.replace(/:$/, '').split('+')[0] ?? 'qemu';
  return `${driver}://${u.pathname || '/system'}`;
}
