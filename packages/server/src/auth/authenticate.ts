// Verifies JDCLOUD2-HMAC-SHA256 signed requests and admits them past replay and rate-limit checks.
// Knows nothing about HTTP frameworks: it gets the request's raw parts and returns the caller.
import { Errors, computeSignature, parseAuthorization, signaturesEqual } from '@kumo/contract';
import type { AccessKey, AccountsModel, RequestGuardsModel } from '@kumo/store';
import type { Config } from '../config.js';

/** The parts of a request that the signature covers, exactly as received. */
export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  bodySha256Hex: string;
  /** Region from the path, or undefined for admin paths. */
  regionId: string | undefined;
  operation: string;
}

const DATE_SHAPE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const KEY_CACHE_MS = 10_000;
const KEY_CACHE_MAX = 10_000;

/** Authenticates requests for one kumod process. */
export class Authenticator {
  // Access keys change rarely; a short cache keeps the hot path at one database round trip.
  // Only known keys are cached, so a key created a moment ago is never refused from a stale miss.
  private readonly keyCache = new Map<string, { key: AccessKey; until: number }>();

  constructor(
    private readonly accounts: AccountsModel,
    private readonly guards: RequestGuardsModel,
    private readonly cfg: Pick<Config, 'auth' | 'rateLimit'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the caller's access key, or throws UNAUTHENTICATED / RATE_LIMIT. */
  async authenticate(req: SignedRequest): Promise<AccessKey> {
    const header = single(req.headers.authorization);
    const auth = header ? parseAuthorization(header) : null;
    if (!auth) throw Errors.unauthenticated('Missing or malformed Authorization header');

    const date = single(req.headers['x-jdcloud-date']);
    const m = date ? DATE_SHAPE.exec(date) : null;
    if (!date || !m) throw Errors.unauthenticated('Missing or malformed x-jdcloud-date header');
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (Number.isNaN(signedAt) || Math.abs(this.now() - signedAt) > this.cfg.auth.maxSkewSeconds * 1000) {
      throw Errors.unauthenticated('Request date is outside the allowed clock skew');
    }
    if (auth.credentialDate !== date.slice(0, 8)) {
      throw Errors.unauthenticated('Credential date does not match x-jdcloud-date');
    }
    const nonce = single(req.headers['x-jdcloud-nonce']);
    if (!nonce || nonce.length > 128)
      throw Errors.unauthenticated('Missing or malformed x-jdcloud-nonce header');
    if (req.regionId !== undefined && auth.regionId !== req.regionId) {
      throw Errors.unauthenticated('Credential region does not match the request region');
    }

    const key = await this.lookup(auth.accessKey);
    if (!key) throw Errors.unauthenticated('Unknown or disabled access key');
    const expected = computeSignature({
      method: req.method,
      path: req.rawPath,
      query: req.rawQuery,
      headers: req.headers,
      signedHeaders: auth.signedHeaders,
      algorithm: auth.algorithm,
      bodySha256Hex: req.bodySha256Hex,
      secretKey: key.secretKey,
      date,
      regionId: auth.regionId,
      service: auth.service,
    });
    if (!signaturesEqual(expected, auth.signature)) throw Errors.unauthenticated('Signature does not match');

    const admission = await this.guards.admit({
      accessKey: key.accessKey,
      nonce: replayKey(req.method, auth.signedHeaders, nonce, auth.signature),
      // A nonce must be remembered for as long as its date could still pass the skew check.
      nonceTtlSeconds: this.cfg.auth.maxSkewSeconds * 2,
      windowSeconds: 60,
      buckets: [
        { key: `acct:${key.account.id}`, limit: this.cfg.rateLimit.perAccountPerMinute },
        { key: `op:${key.account.id}:${req.operation}`, limit: this.cfg.rateLimit.perOperationPerMinute },
      ],
    });
    if (admission.replayed) throw Errors.unauthenticated('Nonce already used');
    if (admission.exceededBucket?.startsWith('acct:')) throw Errors.rateLimited('all operations');
    if (admission.exceededBucket) throw Errors.rateLimited(req.operation);
    return key;
  }

  private async lookup(accessKey: string): Promise<AccessKey | undefined> {
    const t = this.now();
    const hit = this.keyCache.get(accessKey);
    if (hit && hit.until > t) return hit.key;
    const key = await this.accounts.findAccessKey(accessKey);
    if (!key) return undefined;
    if (this.keyCache.size >= KEY_CACHE_MAX) this.keyCache.clear();
    this.keyCache.set(accessKey, { key, until: t + KEY_CACHE_MS });
    return key;
  }
}

/**
 * What identifies a request for replay detection. The nonce does when it is signed (Go, Node and
 * older Python SDKs sign every header). The Python SDK's JDCLOUD3 signer signs only content-type
 * and host, so there an attacker could swap the nonce: mutating calls are then keyed by their
 * signature (the date is signed, so two identical calls within one second count as a replay),
 * while reads, which a replay cannot use to change anything, accept the unsigned nonce.
 */
function replayKey(method: string, signedHeaders: string[], nonce: string, signature: string): string {
  if (signedHeaders.includes('x-jdcloud-nonce')) return nonce;
  return method === 'GET' ? `unsigned:${nonce}` : `sig:${signature}`;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
