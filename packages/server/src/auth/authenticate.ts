// Verifies JDCLOUD2/3-HMAC-SHA256 signed requests in three stages, so that an unauthenticated caller
// costs as little as possible: `preflight` checks the headers alone (shape, clock skew, region, the
// signed Host, the access key's existence) before any body is read; `verify` checks the signature
// over the body that was then read; `admit` applies replay protection and rate limits once the route
// is known. Knows nothing about HTTP frameworks: it gets the request's raw parts.
import {
  Errors,
  computeSignature,
  parseAuthorization,
  signaturesEqual,
  type ParsedAuthorization,
} from '@kumo/contract';
import type { AccessKey, AccountsModel, RateLeasesModel, RequestGuardsModel } from '@kumo/store';
import { NonceLog } from './nonce-log.js';
import { RateBudget } from './rate-budget.js';
import type { Config } from '../config.js';
import { FailureThrottle } from './failure-throttle.js';

/** The headers of a request and where it came from, as received. */
export interface RequestHead {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** Region from the path, or undefined for admin paths. */
  regionId: string | undefined;
  /** The client's address, for throttling failed attempts. */
  clientIp: string;
}

/** What preflight established: the parsed Authorization and the key it names. */
export interface Preflight {
  method: string;
  auth: ParsedAuthorization;
  date: string;
  nonce: string;
  key: AccessKey;
}

/** The parts of a request that the signature covers, exactly as received. */
export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  bodySha256Hex: string;
}

/** What callers of a failed authentication are told: one message, so keys cannot be probed. */
export const AUTH_FAILED = 'Signature does not match, or the access key is unknown or disabled';

const DATE_SHAPE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
// Only while the change feed is live (see setFeedLive): a change evicts a key at once.
const KEY_CACHE_MS = 60_000;
const UNKNOWN_KEY_CACHE_MS = 2_000;
const KEY_CACHE_MAX = 10_000;

/** Authenticates requests for one kumod process. */
export class Authenticator {
  // Access keys change rarely; a short cache keeps the hot path at one database round trip.
  private readonly keyCache = new Map<string, { key: AccessKey; until: number }>();
  // Unknown keys are remembered only briefly: a key created a moment ago must not stay refused.
  private readonly unknownKeys = new Map<string, number>();
  private readonly failures: FailureThrottle;
  // Cached keys are trusted only while the change feed is live: a disabled key is then evicted
  // the moment its change commits. Without the feed every lookup reads the database.
  private feedLive = false;
  private readonly nonces: NonceLog;
  private readonly budget: RateBudget;

  constructor(
    private readonly accounts: AccountsModel,
    private readonly guards: RequestGuardsModel,
    leases: RateLeasesModel,
    private readonly cfg: Pick<Config, 'auth' | 'rateLimit'>,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = new FailureThrottle(cfg.auth.failuresPerMinute, now);
    this.nonces = new NonceLog(guards);
    this.budget = new RateBudget(leases, 60);
  }

  /** Header-only checks; throws UNAUTHENTICATED, or RATE_LIMIT for a caller that keeps failing. */
  async preflight(req: RequestHead): Promise<Preflight> {
    const ipSubject = `ip:${req.clientIp}`;
    if (this.failures.blocked(ipSubject)) throw Errors.rateLimited('failed authentications');
    const header = single(req.headers.authorization);
    const auth = header ? parseAuthorization(header) : null;
    const fail = (why: string, keySubject?: string): never => {
      this.failures.fail(ipSubject, ...(keySubject ? [keySubject] : []));
      throw Errors.unauthenticated(why);
    };
    if (!auth) return fail('Missing or malformed Authorization header');
    const keySubject = `key:${auth.accessKey}`;
    if (this.failures.blocked(keySubject)) throw Errors.rateLimited('failed authentications');

    const date = single(req.headers['x-jdcloud-date']);
    const m = date ? DATE_SHAPE.exec(date) : null;
    if (!date || !m) return fail('Missing or malformed x-jdcloud-date header', keySubject);
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (Number.isNaN(signedAt) || Math.abs(this.now() - signedAt) > this.cfg.auth.maxSkewSeconds * 1000) {
      return fail('Request date is outside the allowed clock skew', keySubject);
    }
    if (auth.credentialDate !== date.slice(0, 8)) {
      return fail('Credential date does not match x-jdcloud-date', keySubject);
    }
    const nonce = single(req.headers['x-jdcloud-nonce']);
    if (!nonce || nonce.length > 128) return fail('Missing or malformed x-jdcloud-nonce header', keySubject);
    if (req.regionId !== undefined && auth.regionId !== req.regionId) {
      return fail('Credential region does not match the request region', keySubject);
    }
    // The date is part of every string to sign; the host must be signed too, and be one of ours,
    // so a request signed for another endpoint cannot be replayed here.
    if (!auth.signedHeaders.includes('host')) return fail('The host header must be signed', keySubject);
    const host = single(req.headers.host)?.toLowerCase();
    if (!host || !this.cfg.auth.publicHosts.has(host)) {
      return fail('The request is signed for another host', keySubject);
    }

    const key = await this.lookup(auth.accessKey);
    if (!key) return fail(AUTH_FAILED, keySubject);
    return { method: req.method, auth, date, nonce, key };
  }

  /** Checks the signature over the received body; throws UNAUTHENTICATED. */
  verify(pre: Preflight, req: SignedRequest, clientIp: string): void {
    const expected = computeSignature({
      method: req.method,
      path: req.rawPath,
      query: req.rawQuery,
      headers: req.headers,
      signedHeaders: pre.auth.signedHeaders,
      algorithm: pre.auth.algorithm,
      bodySha256Hex: req.bodySha256Hex,
      secretKey: pre.key.secretKey,
      date: pre.date,
      regionId: pre.auth.regionId,
      service: pre.auth.service,
    });
    if (!signaturesEqual(expected, pre.auth.signature)) {
      this.failures.fail(`ip:${clientIp}`, `key:${pre.auth.accessKey}`);
      throw Errors.unauthenticated(AUTH_FAILED);
    }
  }

  /** Replay protection and rate limits for an operation of `service`; throws 401 or 429. */
  async admit(pre: Preflight, operation: string, service: string): Promise<void> {
    // The credential scope names the service the signer meant (vm, vpc, disk): a signature for one
    // service is not accepted by another's operations.
    if (pre.auth.service !== service) {
      throw Errors.unauthenticated(`The credential scope names service '${pre.auth.service.slice(0, 32)}'`);
    }
    const refused = await this.charge(pre.key, replayKey(pre), operation);
    if (refused === 'replayed') throw Errors.unauthenticated('Nonce already used');
    if (refused === 'account') throw Errors.rateLimited('all operations');
    if (refused) throw Errors.rateLimited(operation);
  }

  /**
   * Records a request's replay key and charges the account's budgets, which every API (JD, CVM
   * 3.0 and 2.0) shares: one bucket for the account, one per operation (CVM actions are charged
   * under the JD operation they map onto). Returns what refused the request, if anything.
   */
  async charge(
    key: AccessKey,
    replay: string,
    operation: string,
    opts: { forbidden?: string[]; repeatable?: boolean } = {},
  ): Promise<'replayed' | 'account' | 'operation' | undefined> {
    // The nonce's durable record is group-committed (nonce-log.ts); the budgets are spent from
    // this process's leases (rate-budget.ts), which reach the database once per lease.
    const [fresh, forbidden] = await Promise.all([
      // A nonce must be remembered for as long as its date could still pass the skew check.
      this.nonces.record(key.accessKey, replay, this.cfg.auth.maxSkewSeconds * 2),
      this.guards.anySeen(key.accessKey, opts.forbidden ?? []),
    ]);
    if ((!fresh && !opts.repeatable) || forbidden) return 'replayed';
    // The account's budget is spent first: a request refused by its operation's budget still
    // counts against the account's.
    const rate = this.cfg.rateLimit;
    if (!(await this.budget.take(`acct:${key.account.id}`, rate.perAccountPerMinute))) return 'account';
    if (!(await this.budget.take(`op:${key.account.id}:${operation}`, rate.perOperationPerMinute)))
      return 'operation';
    return undefined;
  }

  /** Gives back this process's unused rate budget (at shutdown). */
  close(): Promise<void> {
    return this.budget.close();
  }

  /** The access key by id through this process's cache (the Tencent APIs' SecretId). */
  findKey(accessKey: string): Promise<AccessKey | undefined> {
    return this.lookup(accessKey);
  }

  /** Whether this address, or this key, failed authentication too often lately. */
  throttled(clientIp: string, accessKey?: string): boolean {
    return (
      this.failures.blocked(`ip:${clientIp}`) ||
      (accessKey !== undefined && this.failures.blocked(`key:${accessKey}`))
    );
  }

  /** Counts a failed authentication against the address and, when named, the key. */
  failed(clientIp: string, accessKey?: string): void {
    this.failures.fail(`ip:${clientIp}`, ...(accessKey !== undefined ? [`key:${accessKey}`] : []));
  }

  /** Forgets what is cached about a key (it was disabled, enabled or deleted). */
  evict(accessKey: string): void {
    this.keyCache.delete(accessKey);
    this.unknownKeys.delete(accessKey);
  }

  /** Tells whether key changes reach this process; a lost feed drops everything cached. */
  setFeedLive(live: boolean): void {
    this.feedLive = live;
    if (!live) {
      this.keyCache.clear();
      this.unknownKeys.clear();
    }
  }

  private async lookup(accessKey: string): Promise<AccessKey | undefined> {
    const t = this.now();
    const hit = this.feedLive ? this.keyCache.get(accessKey) : undefined;
    if (hit && hit.until > t) return hit.key;
    const unknownUntil = this.unknownKeys.get(accessKey);
    if (unknownUntil !== undefined && unknownUntil > t) return undefined;
    const key = await this.accounts.findAccessKey(accessKey);
    if (!key) {
      if (this.unknownKeys.size >= KEY_CACHE_MAX) this.unknownKeys.clear();
      this.unknownKeys.set(accessKey, t + UNKNOWN_KEY_CACHE_MS);
      return undefined;
    }
    this.unknownKeys.delete(accessKey);
    if (!this.feedLive) return key;
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
function replayKey(pre: Preflight): string {
  if (pre.auth.signedHeaders.includes('x-jdcloud-nonce')) return pre.nonce;
  return pre.method === 'GET' ? `unsigned:${pre.nonce}` : `sig:${pre.auth.signature}`;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
