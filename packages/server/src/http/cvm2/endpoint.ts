// The CVM API 2.0 endpoint: `/v2/index.php`, GET (query) or POST (form-encoded), parameters
// `Action`, `Region`, `SecretId`, `Timestamp`, `Nonce`, `Signature` and the action's own, answered
// as `{"code": 0, "message": "", …}` with the seed's numeric codes (HTTP 200, as Tencent does).
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { ApiError, TencentError, TencentErrors, tc2CodeOf, toTencentError } from '@kumo/contract';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services/index.js';
import { readBody, type BodyLimits } from '../body.js';
import type { V2Action } from './action.js';

/** The path API 2.0 clients post to. */
export const V2_PATH = '/v2/index.php';

/** What the endpoint needs from its surroundings. */
export interface V2EndpointOptions {
  services: Services;
  actions: readonly V2Action[];
  log: Logger;
  body: BodyLimits;
  knownRegion(regionId: string): boolean;
  regions(): Promise<string[]>;
}

/** The express handler of `/v2/index.php`. */
export function v2Endpoint(opts: V2EndpointOptions) {
  const byName = new Map(opts.actions.map((a) => [a.action, a]));
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    try {
      const result = await serve(req, res, requestId);
      res.json({ code: 0, message: '', codeDesc: 'Success', ...result });
    } catch (err) {
      const e =
        err instanceof TencentError
          ? err
          : err instanceof ApiError
            ? toTencentError(err)
            : TencentErrors.internal();
      if (e.code === 'InternalError') opts.log.error({ err, requestId }, 'CVM 2.0 request failed');
      res.locals.errorStatus = e.code;
      if (!req.complete) {
        res.setHeader('connection', 'close');
        res.on('finish', () => req.socket.destroy());
      }
      res.json({ code: tc2CodeOf(e.code), message: e.message, codeDesc: e.code });
    }
  };

  async function serve(req: Request, res: Response, requestId: string): Promise<object> {
    const clientIp = req.socket.remoteAddress ?? 'unknown';
    const q = req.originalUrl.indexOf('?');
    let raw = q < 0 ? '' : req.originalUrl.slice(q + 1);
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        throw TencentErrors.invalidParameter('Content-Type', 'send application/x-www-form-urlencoded');
      }
      if ((req.headers['content-encoding'] ?? 'identity') !== 'identity') {
        throw TencentErrors.invalidParameter('Content-Encoding', 'send the body uncompressed');
      }
      if (raw !== '') throw TencentErrors.invalidParameter('query', 'POST parameters go in the body only');
      raw = (await readBody(req, opts.body)).toString('utf8');
    }
    const params = parseParams(raw);
    const key = await opts.services.tc2.verify({
      method: req.method,
      host: single(req.headers.host) ?? '',
      path: V2_PATH,
      params,
      clientIp,
    });
    const action = byName.get(params.Action ?? '');
    if (!action) throw TencentErrors.invalidAction((params.Action ?? '').slice(0, 64));
    res.locals.operation = `cvm2:${action.action}`;
    res.locals.readOnly = action.action.startsWith('Describe');
    res.locals.accountId = key.account.id;
    res.locals.accessKey = key.accessKey;
    await opts.services.tc2.admit(key, params, action.operation);
    const regionId = params.Region ?? '';
    if (regionId === '') throw TencentErrors.missingParameter('Region');
    if (!opts.knownRegion(regionId)) throw TencentErrors.unsupportedRegion(regionId.slice(0, 64));
    return action.handle({
      requestId,
      service: 'cvm',
      account: key.account,
      accessKey: key.accessKey,
      regionId,
      params,
      services: opts.services,
      regions: opts.regions,
    });
  }
}

// Parameters by name. A name given twice, or a NUL anywhere, is refused: what was signed must be
// exactly what is acted on.
function parseParams(raw: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(raw)) {
    if (k in out) throw TencentErrors.invalidParameter(k.slice(0, 64), 'given more than once');
    if (k.includes('\0') || v.includes('\0'))
      throw TencentErrors.invalidParameter(k.slice(0, 64), 'NUL character');
    if (k.length > 128 || v.length > 16384) throw TencentErrors.invalidParameter(k.slice(0, 64), 'too long');
    out[k] = v;
  }
  return out;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
