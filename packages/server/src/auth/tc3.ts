// Verifies TC3-HMAC-SHA256 signed requests (Tencent CVM API 3.0) with the JD path's keys, failure
// throttle, replay store and rate limits (through the Authenticator), in two stages like it:
// `preflight` on the headers before any body is read, `verify` over the body once read, then
// `admit` for replay protection and the shared budgets. Throws TencentErrors only.
import {
  TencentErrors,
  parseTc3Authorization,
  signaturesEqual,
  tc3Date,
  tc3Signature,
  type Tc3Authorization,
} from '@kumo/contract';
import type { AccessKey } from '@kumo/store';
import type { Config } from '../config.js';
import type { Authenticator } from './authenticate.js';

/** What preflight established. */
export interface Tc3Preflight {
  auth: Tc3Authorization;
  timestampSeconds: number;
  key: AccessKey;
  clientIp: string;
}

/** Authenticates API 3.0 requests for one kumod process. */
export class Tc3Authenticator {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly cfg: Pick<Config, 'auth'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Header-only checks: shape, timestamp window, the signed host, the key's existence. */
  async preflight(headers: Record<string, string | string[] | undefined>, clientIp: string) {
    if (this.authenticator.throttled(clientIp)) throw TencentErrors.rateLimited('failed authentications');
    const header = single(headers.authorization);
    const auth = header ? parseTc3Authorization(header) : null;
    const fail = (e: Error, secretId?: string): never => {
      this.authenticator.failed(clientIp, secretId);
      throw e;
    };
    if (!auth)
      return fail(TencentErrors.invalidAuthorization('Missing or malformed TC3 Authorization header'));
    if (this.authenticator.throttled(clientIp, auth.secretId)) {
      throw TencentErrors.rateLimited('failed authentications');
    }
    const ts = single(headers['x-tc-timestamp']);
    if (!ts || !/^\d{1,12}$/.test(ts)) {
      return fail(
        TencentErrors.invalidAuthorization('Missing or malformed X-TC-Timestamp header'),
        auth.secretId,
      );
    }
    const timestampSeconds = Number(ts);
    if (Math.abs(this.now() - timestampSeconds * 1000) > this.cfg.auth.maxSkewSeconds * 1000) {
      return fail(TencentErrors.signatureExpire(), auth.secretId);
    }
    if (auth.date !== tc3Date(timestampSeconds)) {
      return fail(
        TencentErrors.invalidAuthorization("The credential date is not X-TC-Timestamp's UTC date"),
        auth.secretId,
      );
    }
    // Tencent's SDKs sign content-type and host. The host must be one of ours, so a request
    // signed for another endpoint is not accepted here.
    if (!auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('content-type')) {
      return fail(TencentErrors.invalidAuthorization('Host and Content-Type must be signed'), auth.secretId);
    }
    const host = single(headers.host)?.toLowerCase();
    if (!host || !this.cfg.auth.publicHosts.has(host)) {
      return fail(
        TencentErrors.invalidAuthorization('The request is signed for another host'),
        auth.secretId,
      );
    }
    const key = await this.authenticator.findKey(auth.secretId);
    if (!key) return fail(TencentErrors.signatureFailure(), auth.secretId);
    return { auth, timestampSeconds, key, clientIp } satisfies Tc3Preflight;
  }

  /** Checks the signature over the body as received. */
  verify(
    pre: Tc3Preflight,
    req: {
      method: string;
      rawPath: string;
      rawQuery: string;
      headers: Record<string, string | string[] | undefined>;
      bodySha256Hex: string;
    },
  ): void {
    const headerValues: Record<string, string> = {};
    for (const h of pre.auth.signedHeaders) headerValues[h] = single(req.headers[h]) ?? '';
    const input = {
      method: req.method,
      path: req.rawPath,
      query: req.rawQuery,
      headerValues,
      signedHeaders: pre.auth.signedHeaders,
      bodySha256Hex: req.bodySha256Hex,
      timestampSeconds: pre.timestampSeconds,
      service: pre.auth.service,
      secretKey: pre.key.secretKey,
    };
    // Tencent's Node SDK signs the host's name without its port, other signers the Host header
    // as sent: either is what the client meant, and both name this endpoint (checked above).
    const host = headerValues.host ?? '';
    const bare = host.replace(/:\d+$/, '');
    const candidates = bare === host ? [host] : [host, bare];
    const ok = candidates.some((h) =>
      signaturesEqual(
        tc3Signature({ ...input, headerValues: { ...headerValues, host: h } }),
        pre.auth.signature,
      ),
    );
    if (!ok) {
      this.authenticator.failed(pre.clientIp, pre.auth.secretId);
      throw TencentErrors.signatureFailure();
    }
  }

  /**
   * Replay protection and the shared budgets. The action, region and version headers are outside
   * what Tencent's SDKs sign, so a signature is bound to a kind of use rather than to an action:
   * reads (Describe*, which change nothing) may repeat it; a mutating call takes it once, and not
   * after a read used it, so a captured read cannot be replayed as a write under another action.
   */
  async admit(pre: Tc3Preflight, operation: string, mutating: boolean): Promise<void> {
    const sig = pre.auth.signature;
    // A signer that signs X-TC-Action (Tencent's Go SDK does) binds the signature to the action:
    // then only a second write is a replay.
    const bound = pre.auth.signedHeaders.includes('x-tc-action');
    const refused = await this.authenticator.charge(
      pre.key,
      mutating ? `tc3w:${sig}` : `tc3r:${sig}`,
      operation,
      mutating ? { forbidden: bound ? [] : [`tc3r:${sig}`] } : { repeatable: true },
    );
    if (refused === 'replayed') throw TencentErrors.replayed();
    if (refused === 'account') throw TencentErrors.rateLimited('all actions of the account');
    if (refused) throw TencentErrors.rateLimited(operation);
  }
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
