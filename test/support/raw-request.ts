// Sends HTTP requests with exact raw paths and bodies (node:http, no URL normalisation), signed
// with the contract's signer, so tests can reach the server with input no well-behaved client sends.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { computeSignature, formatJdDate, sha256Hex } from '@kumo/contract';

/** A raw response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { requestId?: string; result?: unknown; error?: { code: number; status: string; message: string } };
}

/** Sends one request exactly as given; `headers` are sent as-is (lower-case names). */
export function sendRaw(
  endpoint: string,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body: string | Buffer = '',
): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: pathAndQuery,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = {};
          try {
            json = JSON.parse(text);
          } catch {
            // Left empty: the test asserts on text or status.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs (with the contract signer) and sends a request with a raw path, query and body. */
export function signedRaw(
  endpoint: string,
  creds: { accessKey: string; secretKey: string },
  method: string,
  pathAndQuery: string,
  body: string | Buffer = '',
  opts: {
    regionId?: string;
    extraHeaders?: Record<string, string>;
    /** The credential scope's service (default vm). */
    service?: string;
    /** Headers sent but left out of the signature. */
    unsigned?: string[];
  } = {},
): Promise<RawResponse> {
  const regionId = opts.regionId ?? 'local-1';
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q + 1);
  const date = formatJdDate(new Date());
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: new URL(endpoint).host,
    'x-jdcloud-date': date,
    'x-jdcloud-nonce': randomUUID(),
    ...opts.extraHeaders,
  };
  const signedHeaders = Object.keys(headers)
    .filter((h) => !opts.unsigned?.includes(h))
    .sort();
  const service = opts.service ?? 'vm';
  const signature = computeSignature({
    method,
    path,
    query,
    headers,
    signedHeaders,
    bodySha256Hex: sha256Hex(body),
    secretKey: creds.secretKey,
    date,
    regionId,
    service,
  });
  headers.authorization =
    `JDCLOUD2-HMAC-SHA256 Credential=${creds.accessKey}/${date.slice(0, 8)}/${regionId}/${service}/jdcloud2_request, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return sendRaw(endpoint, method, pathAndQuery, headers, body);
}
