// The operator's listener (KUMO_OPS_LISTEN, off by default): /metrics for Prometheus, the API's
// /openapi.json and /healthz. It is unauthenticated, like every Prometheus exporter, so bind it
// to loopback or a management network; it serves nothing an account owns.
import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.js';

/** Starts the listener; resolves once it listens. */
export function startOpsServer(
  listen: { host: string; port: number },
  metrics: Metrics,
  openApi: object,
  healthy: () => Promise<void>,
): Promise<Server> {
  const doc = JSON.stringify(openApi);
  const server = createServer((req, res) => {
    const send = (code: number, type: string, body: string) => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'method not allowed\n');
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics')
      return void metrics.render().then(
        (m) => send(200, m.contentType, m.body),
        () => send(503, 'text/plain', 'metrics unavailable\n'),
      );
    if (path === '/openapi.json') return send(200, 'application/json', doc);
    if (path === '/healthz')
      return void healthy().then(
        () => send(200, 'application/json', '{"status":"ok"}'),
        () => send(503, 'application/json', '{"status":"unavailable"}'),
      );
    send(404, 'text/plain', 'not found\n');
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve(server));
  });
}
