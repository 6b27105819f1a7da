// Verifies Tencent API 2.0 requests (`/v2/index.php`: SecretId, Timestamp, Nonce and a HmacSHA1
// or HmacSHA256 Signature among the parameters) with the JD path's keys, failure throttle, replay
// store and rate budgets (through the Authenticator). Throws TencentErrors only.
import { timingSafeEqual } from 'node:crypto';
import { TencentErrors, tc2Signature } from '@kumo/contract';
import type { AccessKey } from '@kumo/store';
import type { Config } from '../config.js';
import type { Authenticator } from './authenticate.js';

/** A request's parts as received: its decoded parameters and the Host it came to. */
export interface Tc2Request {
  method: string;
  host: string;
  path: string;
  params: Record<string, string>;
  clientIp: string;
}

/** Authenticates API 2.0 requests for one kumod process. */
export class Tc2Authenticator {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly cfg: Pick<Config, 'auth'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the common parameters, the timestamp window, the host and the signature. */
  async verify(req: Tc2Request): Promise<AccessKey> {
    const { params, clientIp } = req;
    if (this.authenticator.throttled(clientIp, params.SecretId)) {
      throw TencentErrors.rateLimited('failed authentications');
    }
    const fail = (e: Error): never => {
      this.authenticator.failed(clientIp, params.SecretId);
      throw e;
    };
    for (const name of ['SecretId', 'Timestamp', 'Nonce', 'Signature']) {
      if (!params[name]) return fail(TencentErrors.missingParameter(name));
    }
    if (!/^\d{1,12}$/.test(params.Timestamp!))
      return fail(TencentErrors.invalidAuthorization('Malformed Timestamp'));
    if (!/^\d{1,20}$/.test(params.Nonce!))
      return fail(TencentErrors.invalidAuthorization('Nonce must be a positive integer'));
    if (Math.abs(this.now() - Number(params.Timestamp) * 1000) > this.cfg.auth.maxSkewSeconds * 1000) {
      return fail(TencentErrors.signatureExpire());
    }
    // The host is signed: it must be one of ours, so a request signed for another endpoint fails.
    const host = req.host.toLowerCase();
    if (!this.cfg.auth.publicHosts.has(host)) {
      return fail(TencentErrors.invalidAuthorization('The request is signed for another host'));
    }
    const key = await this.authenticator.findKey(params.SecretId!);
    if (!key) return fail(TencentErrors.signatureFailure());
    const expected = tc2Signature({
      method: req.method,
      host,
      path: req.path,
      params,
      secretKey: key.secretKey,
    });
    if (expected === undefined) {
      return fail(TencentErrors.invalidParameterValue('SignatureMethod', 'HmacSHA1 or HmacSHA256'));
    }
    if (!sameBase64(expected, params.Signature!)) return fail(TencentErrors.signatureFailure());
    return key;
  }

  /** Replay protection (Nonce and Timestamp are both signed) and the shared budgets. */
  async admit(key: AccessKey, params: Record<string, string>, operation: string): Promise<void> {
    const refused = await this.authenticator.charge(
      key,
      `tc2:${params.Timestamp}:${params.Nonce}`,
      operation,
    );
    if (refused === 'replayed') throw TencentErrors.nonceReplayed();
    if (refused === 'account') throw TencentErrors.rateLimited('all actions of the account');
    if (refused) throw TencentErrors.rateLimited(operation);
  }
}

// Base64 is case-sensitive: compared exactly, in constant time.
function sameBase64(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
