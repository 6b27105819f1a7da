// The HTTP server's own limits, applied before any request is parsed or authenticated: header and
// request deadlines, a global connection cap and one per client address. What a slow or greedy
// client can hold is bounded here; authentication and body limits come after, in app.ts.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Front-door limits (Config.frontDoor). */
export interface FrontDoorLimits {
  maxConnections: number;
  maxConnectionsPerIp: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** Options for http/https createServer: how often Node checks the header and request deadlines. */
export const SERVER_OPTIONS = { connectionsCheckingInterval: 1000 } as const;

/** Applies the limits to a server that has not started listening yet. */
export function applyFrontDoor(server: Server, limits: FrontDoorLimits): void {
  // Headers must arrive within a few seconds; the whole request (headers and body) within the
  // body deadline after that. Node answers 408 and closes the connection otherwise.
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.headersTimeoutMs + limits.bodyTimeoutMs;
  // An idle keep-alive connection is not worth holding for long either.
  server.keepAliveTimeout = 65_000;
  server.maxConnections = limits.maxConnections;
  const perIp = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const n = (perIp.get(ip) ?? 0) + 1;
    if (n > limits.maxConnectionsPerIp) {
      socket.destroy();
      return;
    }
    perIp.set(ip, n);
    socket.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
  });
}
