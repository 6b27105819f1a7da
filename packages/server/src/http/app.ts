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
import { Router } from './router.js';

/** What the app needs from its surroundings. */
export interface AppOptions {
  services: Services;
  routes: readonly Route[];
  log: Logger;
  db: Database;
  maxBodyBytes: number;
  /** Whether a region id is served by this control plane. */
  knownRegion(regionId: string): boolean;
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
      opts.log.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.path.slice(0, 200),
          operation: res.locals.operation,
          account: res.locals.accountId,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  });

  // Health for orchestrators: unauthenticated, reveals nothing but whether the database answers.
  app.get('/healthz', async (_req: Request, res: Response) => {
    await opts.db.raw('SELECT 1');
    res.json({ status: 'ok' });
  });

  // Raw bytes for every request: the signature covers the exact body, so it is hashed before parsing.
  app.use(express.raw({ type: () => true, limit: opts.maxBodyBytes }));

  app.use(async (req: Request, res: Response) => {
    const requestId = res.locals.requestId as string;
    const q = req.originalUrl.indexOf('?');
    const rawPath = q < 0 ? req.originalUrl : req.originalUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : req.originalUrl.slice(q + 1);
    const { route, params } = router.match(req.method, rawPath);
    res.locals.operation = route.operation;
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

    const key = await opts.services.authenticator.authenticate({
      method: req.method,
      rawPath,
      rawQuery,
      headers: req.headers,
      bodySha256Hex: sha256Hex(raw),
      regionId: params.regionId,
      operation: route.operation,
    });
    res.locals.accountId = key.account.id;
    if (route.admin && !key.account.isAdmin) throw Errors.adminOnly();
    if (params.regionId !== undefined && !opts.knownRegion(params.regionId)) {
      throw Errors.unknownRegion(params.regionId.slice(0, 64));
    }

    const query = decodeRequestQuery(rawQuery);
    const parsedBody = req.method === 'POST' ? parseJsonBody(raw) : {};
    const body = route.body ? validateBody(route.body, parsedBody) : parsedBody;
    const result = await route.handle({
      requestId,
      account: key.account,
      accessKey: key.accessKey,
      regionId: params.regionId ?? '',
      params,
      query,
      body,
      services: opts.services,
    });
    res.json(result === undefined ? { requestId } : { requestId, result });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const requestId = res.locals.requestId as string;
    const apiError = toApiError(err, opts.maxBodyBytes);
    if (apiError.status === 'INTERNAL') opts.log.error({ err, requestId }, 'request failed');
    res.status(apiError.code).json({ requestId, error: apiError.toBody() });
  });

  return app;
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
