// The CVM API 3.0 endpoint: `POST /` with X-TC-Action. JD's operations all live under /v1 and
// /admin, so the root path never collides with them. Same order as the JD pipeline (headers, then
// the bounded body, the signature, replay and rate limits, then the action), and Tencent's
// envelope: `{"Response": {…, "RequestId"}}`, errors as `Response.Error{Code, Message}` with
// HTTP 200, as Tencent answers.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { ApiError, TencentError, TencentErrors, sha256Hex, toTencentError } from '@kumo/contract';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services/index.js';
import { checkBodyHeaders, readBody, type BodyLimits } from '../body.js';
import type { CvmAction, TencentService } from './action.js';
import { validateParams } from './params.js';

/** The one API version CVM 3.0 clients send. */
export const CVM_VERSION = '2017-03-12';

/** What the endpoint needs from its surroundings. */
export interface CvmEndpointOptions {
  services: Services;
  actions: readonly CvmAction[];
  log: Logger;
  body: BodyLimits;
  knownRegion(regionId: string): boolean;
  regions(): Promise<string[]>;
}

/** The express handler of `POST /`. */
export function cvmEndpoint(opts: CvmEndpointOptions) {
  const resolve = actionResolver(opts.actions);
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    try {
      const response = await serve(req, res, requestId);
      res.json({ Response: { ...response, RequestId: requestId } });
    } catch (err) {
      const e = tencentErrorOf(err, (res.locals.tencentService as TencentService | undefined) ?? 'cvm');
      if (e.code === 'InternalError') opts.log.error({ err, requestId }, 'CVM request failed');
      res.locals.errorStatus = e.code;
      // A body that was refused unread is never drained: the connection ends with the answer.
      if (!req.complete) {
        res.setHeader('connection', 'close');
        res.on('finish', () => req.socket.destroy());
      }
      res.json({ Response: { Error: { Code: e.code, Message: e.message }, RequestId: requestId } });
    }
  };

  async function serve(req: Request, res: Response, requestId: string): Promise<object> {
    const clientIp = req.socket.remoteAddress ?? 'unknown';
    const tc3 = opts.services.tc3;
    const pre = await tc3.preflight(req.headers, clientIp);
    checkBodyHeaders(req, opts.body);
    const raw = await readBody(req, opts.body);
    const q = req.originalUrl.indexOf('?');
    tc3.verify(pre, {
      method: req.method,
      rawPath: q < 0 ? req.originalUrl : req.originalUrl.slice(0, q),
      rawQuery: q < 0 ? '' : req.originalUrl.slice(q + 1),
      headers: req.headers,
      bodySha256Hex: sha256Hex(raw),
    });

    const name = header(req, 'x-tc-action') ?? '';
    const action = resolve(pre.auth.service, name);
    const mutating = !action.action.startsWith('Describe');
    res.locals.tencentService = action.service ?? 'cvm';
    res.locals.operation = `${action.service ?? 'cvm'}:${action.action}`;
    res.locals.readOnly = !mutating;
    res.locals.accountId = pre.key.account.id;
    res.locals.accessKey = pre.key.accessKey;
    await tc3.admit(pre, action.operation, mutating);

    const version = header(req, 'x-tc-version') ?? '';
    if (version !== CVM_VERSION) throw TencentErrors.noSuchVersion(version.slice(0, 32));
    const regionId = header(req, 'x-tc-region') ?? '';
    if (!action.regionless) {
      if (regionId === '') throw TencentErrors.missingParameter('X-TC-Region');
      if (!opts.knownRegion(regionId)) throw TencentErrors.unsupportedRegion(regionId.slice(0, 64));
    }
    const params = validateParams(action.params, parseBody(raw));
    return action.handle({
      service: action.service ?? 'cvm',
      requestId,
      account: pre.key.account,
      accessKey: pre.key.accessKey,
      regionId,
      params,
      services: opts.services,
      regions: opts.regions,
    });
  }
}

/**
 * Finds the action a request names. The signed scope's service is what Tencent's SDK derived from
 * the endpoint host: `cvm`, `vpc` or `cbs` when users point each client at such a name, something
 * else (`127` for an address) otherwise. A service it names is searched first; an action name only
 * one service has is served whatever the scope says, and one several services share needs the
 * scope to choose.
 */
export function actionResolver(actions: readonly CvmAction[]) {
  const byKey = new Map(actions.map((a) => [`${a.service ?? 'cvm'}:${a.action}`, a]));
  const byName = new Map<string, CvmAction[]>();
  for (const a of actions) byName.set(a.action, [...(byName.get(a.action) ?? []), a]);
  return (scopeService: string, name: string): CvmAction => {
    const named = byKey.get(`${scopeService.toLowerCase() as TencentService}:${name}`);
    if (named) return named;
    const candidates = byName.get(name) ?? [];
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1)
      throw TencentErrors.ambiguousAction(name, candidates.map((a) => a.service ?? 'cvm').join(', '));
    throw TencentErrors.invalidAction(name.slice(0, 64));
  };
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  // No CVM parameter can hold a NUL; refusing it here keeps it from every name, XML and log.
  if (text.includes('\0') || /\\u0000/i.test(text))
    throw TencentErrors.invalidParameter('body', 'NUL character');
  try {
    // Tencent's SDK sends `null` for actions called without parameters.
    return JSON.parse(text) ?? {};
  } catch {
    throw TencentErrors.invalidParameter('body', 'malformed JSON');
  }
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function tencentErrorOf(err: unknown, service: TencentService): TencentError {
  if (err instanceof TencentError) return err;
  if (err instanceof ApiError) return toTencentError(err, service);
  return TencentErrors.internal();
}
