// The HTTP application: request ids, body limit, routing, authentication, the JD envelope and the
// one place where errors become HTTP responses.
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError, Errors, sha256Hex } from '@kumo/contract';
import type { Database } from '@kumo/store';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { decodeRequestQuery, parseJsonBody, validateBody } from './params.js';
import type { Route } from './route.js';
import { Router, serviceOf } from './router.js';
import { checkBodyHeaders, readBody, type BodyLimits } from './body.js';
import { consolePage } from './console/page.js';
import type { CvmAction } from './cvm/action.js';
import { cvmEndpoint } from './cvm/endpoint.js';
import type { V2Action } from './cvm2/action.js';
import { V2_PATH, v2Endpoint } from './cvm2/endpoint.js';

/** What the app needs from its surroundings. */
export interface AppOptions {
  services: Services;
  routes: readonly Route[];
  log: Logger;
  db: Database;
  /** Size and time limits of request bodies. */
  body: BodyLimits;
  /** Whether a region id is served by this control plane. */
  knownRegion(regionId: string): boolean;
  /** The CVM API 3.0 actions served at `POST /`. */
  cvmActions: readonly CvmAction[];
  /** The CVM API 2.0 actions served at `/v2/index.php`. */
  cvmV2Actions: readonly V2Action[];
  /** The regions this control plane serves (CVM's DescribeRegions). */
  regions(): Promise<string[]>;
  /** Called once per finished request (metrics, the audit trail); must not throw. */
  onFinished?(r: FinishedRequest): void;
}

/** What is known about a request once its response went out. */
export interface FinishedRequest {
  requestId: string;
  method: string;
  path: string;
  /** Set once the route matched (authenticated callers only). */
  operation?: string;
  accountId?: string;
  accessKey?: string;
  params?: Record<string, string>;
  sourceIp: string;
  httpStatus: number;
  errorStatus?: string;
  /** A read whatever its method (the Tencent APIs' Describe actions). */
  readOnly?: boolean;
  seconds: number;
}

/** Builds the express application. */
export function createApp(opts: AppOptions): express.Express {
  const router = new Router(opts.routes);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((_req: Request, res: Response, next: NextFunction) => {
    // 16 random bytes in hex: JD's 32 lowercase alphanumerics.
    const requestId = randomBytes(16).toString('hex');
    res.locals.requestId = requestId;
    res.setHeader('x-jdcloud-request-id', requestId);
    next();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      opts.log.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.path.slice(0, 200),
          operation: res.locals.operation,
          account: res.locals.accountId,
          status: res.statusCode,
          ms: seconds * 1000,
        },
        'request',
      );
      opts.onFinished?.({
        requestId: res.locals.requestId as string,
        method: req.method,
        path: req.path.slice(0, 300),
        operation: res.locals.operation as string | undefined,
        accountId: res.locals.accountId as string | undefined,
        accessKey: res.locals.accessKey as string | undefined,
        params: res.locals.params as Record<string, string> | undefined,
        sourceIp: req.socket.remoteAddress ?? 'unknown',
        httpStatus: res.statusCode,
        errorStatus: res.locals.errorStatus as string | undefined,
        readOnly: res.locals.readOnly === true,
        seconds,
      });
    });
    next();
  });

  // Health for orchestrators: unauthenticated, reveals nothing but whether the database answers.
  app.get('/healthz', async (_req: Request, res: Response) => {
    await opts.db.raw('SELECT 1');
    res.json({ status: 'ok' });
  });

  // The browser console's page and noVNC: static, unauthenticated, no secret (see console/page.ts).
  app.use('/console', consolePage());

  // Tencent CVM API 3.0: `POST /` (no JD operation has that path), its own envelope and errors.
  app.post(
    '/',
    cvmEndpoint({
      services: opts.services,
      actions: opts.cvmActions,
      log: opts.log,
      body: opts.body,
      knownRegion: opts.knownRegion,
      regions: opts.regions,
    }),
  );

  // Tencent CVM API 2.0 (the seed's legacy conventions), form-encoded or in the query.
  const v2 = v2Endpoint({
    services: opts.services,
    actions: opts.cvmV2Actions,
    log: opts.log,
    body: opts.body,
    knownRegion: opts.knownRegion,
    regions: opts.regions,
  });
  app.get(V2_PATH, v2);
  app.post(V2_PATH, v2);

  // One handler per API request, in the order that keeps unauthenticated callers cheap: checks on
  // the headers alone (no body read, no route revealed), then the bounded body, the signature, the
  // route (404 only for authenticated callers), replay and rate limits, validation, the operation.
  app.use(async (req: Request, res: Response) => {
    const requestId = res.locals.requestId as string;
    const q = req.originalUrl.indexOf('?');
    const rawPath = q < 0 ? req.originalUrl : req.originalUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : req.originalUrl.slice(q + 1);
    const clientIp = req.socket.remoteAddress ?? 'unknown';
    const auth = opts.services.authenticator;

    const pre = await auth.preflight({
      method: req.method,
      headers: req.headers,
      regionId: regionOfPath(rawPath),
      clientIp,
    });
    rejectAmbiguous(rawPath, rawQuery);
    checkBodyHeaders(req, opts.body);
    const raw = await readBody(req, opts.body);
    auth.verify(
      pre,
      { method: req.method, rawPath, rawQuery, headers: req.headers, bodySha256Hex: sha256Hex(raw) },
      clientIp,
    );

    const { route, params } = router.match(req.method, rawPath, pre.auth.service);
    res.locals.operation = route.operation;
    res.locals.accountId = pre.key.account.id;
    res.locals.accessKey = pre.key.accessKey;
    res.locals.params = params;
    await auth.admit(pre, route.operation, serviceOf(route));
    if (route.admin && !pre.key.account.isAdmin) throw Errors.adminOnly();
    if (params.regionId !== undefined && !opts.knownRegion(params.regionId)) {
      throw Errors.unknownRegion(params.regionId.slice(0, 64));
    }

    const query = decodeRequestQuery(rawQuery);
    const parsedBody = req.method === 'POST' || req.method === 'PATCH' ? parseJsonBody(raw) : {};
    const body = route.body ? validateBody(route.body, parsedBody) : parsedBody;
    const result = await route.handle({
      requestId,
      account: pre.key.account,
      accessKey: pre.key.accessKey,
      regionId: params.regionId ?? '',
      params,
      query,
      body,
      services: opts.services,
    });
    res.json(result === undefined ? { requestId } : { requestId, result });
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = res.locals.requestId as string;
    // A body that was refused unread is never drained: the connection ends with the answer.
    if (!req.complete) {
      res.setHeader('connection', 'close');
      res.on('finish', () => req.socket.destroy());
    }
    const apiError = toApiError(err, opts.body.maxBytes);
    res.locals.errorStatus = apiError.status;
    if (apiError.status === 'INTERNAL') opts.log.error({ err, requestId }, 'request failed');
    res.status(apiError.code).json({ requestId, error: apiError.toBody() });
  });

  return app;
}

/** The region of a `/v1/regions/{regionId}/…` path, before routing (undefined elsewhere). */
function regionOfPath(rawPath: string): string | undefined {
  const m = /^\/v1\/regions\/([^/?]+)/.exec(rawPath);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1];
  }
}

/**
 * Refuses what would let the signed text and the routed request differ: an encoded '/' or '\\' in
 * the path (signers decode it, the router splits on '/' first), and query pieces without '=' or
 * with an empty name (JD's JDCLOUD3 signer leaves them out of what it signs).
 */
function rejectAmbiguous(rawPath: string, rawQuery: string): void {
  if (/%2f|%5c/i.test(rawPath)) throw Errors.ambiguousEncoding('path');
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) throw Errors.ambiguousEncoding('query');
  }
}

function toApiError(err: unknown, maxBodyBytes: number): ApiError {
  if (err instanceof ApiError) return err;
  // body-parser errors carry a `type` and a 4xx status; they describe the request, not the server.
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') return Errors.bodyTooLarge(maxBodyBytes);
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return Errors.invalidParameter('body', e.type);
  }
  return Errors.internal();
}
