// Tencent's official CVM SDK pointed at a kumod, and a raw TC3 request for what the SDK cannot
// send (wrong signatures, old timestamps, replays, other versions).
import tencentcloud from 'tencentcloud-sdk-nodejs-cvm';
import { sha256Hex, tc3AuthorizationHeader } from '@kumo/contract';

/** Credentials as kumod's admin API hands them out. */
export interface Keys {
  accessKey: string;
  secretKey: string;
}

/** The SDK's CVM client for a kumod endpoint (`http://127.0.0.1:port`). */
export function cvmClient(endpoint: string, keys: Keys, region = 'local-1') {
  const u = new URL(endpoint);
  return new tencentcloud.cvm.v20170312.Client({
    credential: { secretId: keys.accessKey, secretKey: keys.secretKey },
    region,
    profile: { httpProfile: { endpoint: u.host, protocol: `${u.protocol}//`, reqTimeout: 30 } },
  });
}

/** The Tencent error code of a rejected SDK call (undefined when it succeeded). */
export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: { code?: string; message?: string }) => e.code ?? `no code: ${e.message}`,
  );
}

/** Options of {@link rawCvm}. */
export interface RawOptions {
  timestampSeconds?: number;
  version?: string;
  region?: string;
  secretKey?: string;
  /** Replaces the computed Authorization header. */
  authorization?: string;
  /** Signs this body but sends `body`. */
  signedBody?: string;
}

/** One signed API 3.0 request as Tencent's SDK builds it; returns the HTTP status and JSON. */
export async function rawCvm(
  endpoint: string,
  keys: Keys,
  action: string,
  body: string,
  o: RawOptions = {},
): Promise<{
  status: number;
  json: { Response: Record<string, unknown> & { Error?: { Code: string; Message: string } } };
}> {
  const u = new URL(endpoint);
  const ts = o.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const authorization =
    o.authorization ??
    tc3AuthorizationHeader({
      method: 'POST',
      path: '/',
      query: '',
      headerValues: { 'content-type': 'application/json', host: u.hostname },
      signedHeaders: ['content-type', 'host'],
      bodySha256Hex: sha256Hex(o.signedBody ?? body),
      timestampSeconds: ts,
      service: u.hostname.split('.')[0]!,
      secretKey: o.secretKey ?? keys.secretKey,
      secretId: keys.accessKey,
    });
  const res = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization,
      'x-tc-action': action,
      'x-tc-version': o.version ?? '2017-03-12',
      'x-tc-region': o.region ?? 'local-1',
      'x-tc-timestamp': String(ts),
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as never };
}
