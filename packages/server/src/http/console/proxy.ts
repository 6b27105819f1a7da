// The console WebSocket proxy: GET /console/ws?token=… upgrades only after the console service has
// consumed the token and opened the guest's VNC stream; every refusal (no, forged, spent or expired
// token, limits, instance not running) is an HTTP status on the upgrade and nothing reaches the host
// before the token is spent. Then bytes are piped both ways with backpressure (the WebSocket's
// buffer bounds what is held), a guest-to-browser rate cap and an idle timeout on user input.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import type { Logger } from '../../logger.js';
import { ConsoleRefusal, type ConsoleService, type ConsoleSession } from '../../services/consoles.js';

/** What the proxy needs. */
export interface ConsoleProxyOptions {
  consoles: ConsoleService;
  log: Logger;
  idleSeconds: number;
  maxBytesPerSecond: number;
}

/** The console each upgrade path opens: noVNC's RFB stream, or the serial console's bytes. */
const KINDS: Record<string, 'vnc' | 'serial' | undefined> = {
  '/console/ws': 'vnc',
  '/console/serial': 'serial',
};

/** Largest browser-to-guest WebSocket message accepted (RFB client messages are small). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** Handles console upgrades on `server`; other upgrade requests are refused with 404. */
export function attachConsoleProxy(server: Server, o: ConsoleProxyOptions): { closeAll(): void } {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    // noVNC asks for 'binary'; the CLI's serial console asks for nothing.
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://kumod');
    const kind = KINDS[url.pathname];
    if (!kind) return refuse(socket, 404, 'not found');
    const token = url.searchParams.get('token') ?? '';
    const from = req.socket.remoteAddress ?? 'unknown';
    o.consoles.open(kind, token, from).then(
      (session) => {
        if (socket.destroyed) {
          session.stream.destroy();
          void session.end('the browser left before the upgrade');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => run(ws, session, o));
      },
      (err: unknown) => {
        if (err instanceof ConsoleRefusal) {
          // Bad tokens are the caller's business; a guest that cannot be reached is the operator's.
          if (err.httpStatus >= 500) o.log.warn({ from, reason: err.message }, 'console refused');
          return refuse(socket, err.httpStatus, err.message);
        }
        o.log.error({ err }, 'console session failed');
        refuse(socket, 500, 'internal error');
      },
    );
  });
  return { closeAll: () => wss.clients.forEach((ws) => ws.terminate()) };
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason =
    {
      400: 'Bad Request',
      403: 'Forbidden',
      404: 'Not Found',
      409: 'Conflict',
      429: 'Too Many Requests',
      502: 'Bad Gateway',
    }[status] ?? 'Error';
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

// One session: host stream ⇄ WebSocket until either side ends, the idle timer fires or the guest
// goes away (QEMU closes the VNC socket when the instance stops or is deleted).
function run(ws: WebSocket, session: ConsoleSession, o: ConsoleProxyOptions): void {
  const browser = createWebSocketStream(ws, { highWaterMark: 64 * 1024 });
  let reason = 'closed by the browser';
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      reason = `idle for ${o.idleSeconds} s`;
      ws.close(4000, 'idle');
      session.stream.destroy();
    }, o.idleSeconds * 1000);
  };
  armIdle();
  const input = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      if (session.kind === 'serial' || isUserInput(chunk)) armIdle();
      cb(null, chunk);
    },
  });
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(idle);
    browser.destroy();
    session.stream.destroy();
    o.log.info({ instanceId: session.instanceId, reason }, 'console session closed');
    void session.end(reason).catch((err: unknown) => o.log.warn({ err }, 'console session log failed'));
  };
  const pipe = () => {
    pipeline(session.stream, rateLimit(o.maxBytesPerSecond), browser, (err) => {
      if (err === undefined || err === null) reason = 'the guest closed the console';
      finish();
    });
    pipeline(browser, input, session.stream, () => finish());
  };
  // The VNC stream arrives past its security phase: the browser's is answered first, then bytes flow.
  session.greet(browser).then(pipe, (err: Error) => {
    reason = err.message;
    finish();
  });
  o.log.info({ instanceId: session.instanceId, accountId: session.accountId }, 'console session opened');
}

/**
 * Whether a browser-to-guest chunk carries a keystroke or pointer event (RFB client messages 4
 * and 5, which noVNC sends one per WebSocket message). Screen update requests do not count: noVNC
 * sends them all the time, so a session nobody touches would never be idle.
 */
export function isUserInput(chunk: Buffer): boolean {
  return (chunk[0] === 4 && chunk.length % 8 === 0) || (chunk[0] === 5 && chunk.length % 6 === 0);
}

/** A token bucket over bytes: at most `bytesPerSecond`, with one second's worth of burst. */
export function rateLimit(bytesPerSecond: number): Transform {
  let tokens = bytesPerSecond;
  let last = Date.now();
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      const now = Date.now();
      tokens = Math.min(bytesPerSecond, tokens + ((now - last) / 1000) * bytesPerSecond);
      last = now;
      tokens -= chunk.length;
      // In debt: hold this chunk back until the bucket refills; the pipeline pauses the guest meanwhile.
      if (tokens >= 0) return cb(null, chunk);
      setTimeout(() => cb(null, chunk), Math.ceil((-tokens / bytesPerSecond) * 1000));
    },
  });
}
