// Sends one signed JD-style HTTP request with global fetch and unwraps the {requestId, result|error} envelope.
// It knows nothing about individual operations.
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { encodeQuery, serviceOfPath, signRequest } from '@kumo/contract';
import { KumoApiError, KumoUnreachableError } from './errors.js';

/** HTTP methods the JD API uses (contract §1.3). */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Query parameters (flattened JD-style) and JSON body of one request. */
export interface RequestOptions {
  query?: object;
  body?: unknown;
  /** The JD service the request belongs to (its credential scope): vm unless the path is vpc's or disk's. */
  service?: string;
}

/** What a transport needs to sign and send. */
export interface TransportOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  regionId: string;
  /** Signing service name for every request; by default each path's own (vm, vpc or disk). */
  service?: string;
  timeoutMs?: number;
  userAgent?: string;
  /** A PEM file of the CA (or self-signed certificate) to trust for an https endpoint. */
  caFile?: string;
  /** Injected fetch for tests; defaults to the global one. */
  fetch?: typeof fetch;
}

const MAX_ERROR_TEXT = 300;

/** Encodes every path segment per RFC 3986 so ids can never smuggle '/', '?' or '#'. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

/** Signs and sends requests to one endpoint. */
export class Transport {
  private readonly base: URL;
  private readonly doFetch: typeof fetch;
  constructor(private readonly opts: TransportOptions) {
    try {
      this.base = new URL(opts.endpoint);
    } catch {
      throw new TypeError(`Invalid endpoint URL: ${opts.endpoint}`);
    }
    this.doFetch = opts.fetch ?? (opts.caFile ? trustingFetch(opts.caFile) : fetch);
  }

  /** Sends `method path` (path begins with '/') and returns the envelope's `result` (undefined if none). */
  async send<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.base.href.replace(/\/$/, '') + path);
    const query = options.query ? encodeQuery(options.query) : '';
    url.search = query ? '?' + query : '';
    const hasBody = method === 'POST' || method === 'PATCH';
    const body = hasBody ? JSON.stringify(options.body ?? {}) : '';
    const headers = signRequest({
      method,
      url,
      headers: { 'content-type': 'application/json' },
      body,
      accessKey: this.opts.accessKey,
      secretKey: this.opts.secretKey,
      regionId: this.opts.regionId,
      service: options.service ?? this.opts.service ?? serviceOfPath(path),
    });
    // fetch sets Host from the URL itself; the signed value is that same url.host.
    delete headers.host;
    headers['user-agent'] = this.opts.userAgent ?? 'kumo-client/0.1.0';
    const doFetch = this.doFetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: hasBody ? body : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
      text = await response.text();
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new KumoUnreachableError(this.base.origin, `Cannot reach ${this.base.origin}: ${why}`, {
        cause: e,
      });
    }
    return unwrap<T>(response, text);
  }
}

/** A fetch that trusts the CA in `caFile` (besides the system's) for TLS. */
function trustingFetch(caFile: string): typeof fetch {
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch (e) {
    throw new TypeError(`Cannot read the CA file ${caFile}: ${(e as Error).message}`, { cause: e });
  }
  const dispatcher = new Agent({ connect: { ca } });
  return ((input: URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

function unwrap<T>(response: Response, text: string): T {
  const headerId = response.headers.get('x-jdcloud-request-id') ?? '';
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const envelope = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    requestId?: unknown;
    result?: unknown;
    error?: { code?: unknown; status?: unknown; message?: unknown };
  };
  const requestId = typeof envelope.requestId === 'string' ? envelope.requestId : headerId;
  if (envelope.error && typeof envelope.error === 'object') {
    const { status, message } = envelope.error;
    throw new KumoApiError(
      response.status,
      typeof status === 'string' ? status : 'UNKNOWN',
      typeof message === 'string' ? message : `HTTP ${response.status}`,
      requestId,
    );
  }
  if (!response.ok || parsed === undefined) {
    const snippet = text.length > MAX_ERROR_TEXT ? text.slice(0, MAX_ERROR_TEXT) + '…' : text;
    throw new KumoApiError(
      response.status,
      response.ok ? 'UNKNOWN' : httpStatusName(response.status),
      `Unexpected response (HTTP ${response.status}): ${snippet || response.statusText}`,
      requestId,
    );
  }
  return envelope.result as T;
}

function httpStatusName(code: number): string {
  if (code === 401) return 'UNAUTHENTICATED';
  if (code === 403) return 'PERMISSION_DENIED';
  if (code === 404) return 'NOT_FOUND';
  if (code === 429) return 'RATE_LIMIT';
  if (code === 501) return 'NOT_IMPLEMENTED';
  if (code === 503) return 'UNAVAILABLE';
  return code >= 500 ? 'INTERNAL' : 'UNKNOWN';
}
