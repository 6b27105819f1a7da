// Tencent Cloud's TC3-HMAC-SHA256 request signature (CVM API 3.0): parsing the Authorization
// header, the canonical request and the signature, for the verifier and for test clients alike.
// Knows nothing about HTTP frameworks or accounts: callers pass the request's raw parts.
import { createHash, createHmac } from 'node:crypto';

/** The only algorithm API 3.0 defines. */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

/** What an API 3.0 Authorization header says. */
export interface Tc3Authorization {
  secretId: string;
  /** The credential scope's date, `YYYY-MM-DD` (UTC). */
  date: string;
  /**
   * The credential scope's service: whatever the client derived from its endpoint host (Tencent's
   * SDKs take the host's first label, so `127.0.0.1:8080` signs as `127`, `cvm.example` as `cvm`).
   */
  service: string;
  /** Lowercase header names, in the order signed. */
  signedHeaders: string[];
  signature: string;
}

const AUTH_SHAPE =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]{1,128})\/(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9._-]{1,64})\/tc3_request, ?SignedHeaders=([a-z0-9;-]{1,512}), ?Signature=([0-9a-f]{64})$/;

/** Parses a TC3-HMAC-SHA256 Authorization header; null when it is not one. */
export function parseTc3Authorization(header: string): Tc3Authorization | null {
  const m = AUTH_SHAPE.exec(header.trim());
  if (!m) return null;
  const signedHeaders = m[4]!.split(';');
  if (signedHeaders.some((h) => h === '')) return null;
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders, signature: m[5]! };
}

/** The credential scope's date of a Unix timestamp (seconds), as TC3 writes it. */
export function tc3Date(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

/** What a TC3 signature covers. */
export interface Tc3SignatureInput {
  method: string;
  /** The path as sent (API 3.0 clients use `/`). */
  path: string;
  /** The query string as sent, without `?` (empty for POST). */
  query: string;
  /** Values of the signed headers by lowercase name, exactly as they are to be signed. */
  headerValues: Record<string, string>;
  signedHeaders: readonly string[];
  bodySha256Hex: string;
  timestampSeconds: number;
  service: string;
  secretKey: string;
}

/**
 * The canonical request: method, path, query, `name:value\n` per signed header (value trimmed and
 * lowercased, as Tencent's documentation defines it), the header list, the body's SHA-256.
 */
export function tc3CanonicalRequest(input: Tc3SignatureInput): string {
  const headers = input.signedHeaders
    .map((h) => `${h}:${(input.headerValues[h] ?? '').trim().toLowerCase()}\n`)
    .join('');
  return [
    input.method.toUpperCase(),
    input.path,
    input.query,
    headers,
    input.signedHeaders.join(';'),
    input.bodySha256Hex,
  ].join('\n');
}

/** The hex signature of a request. */
export function tc3Signature(input: Tc3SignatureInput): string {
  const date = tc3Date(input.timestampSeconds);
  const stringToSign = [
    TC3_ALGORITHM,
    String(input.timestampSeconds),
    `${date}/${input.service}/tc3_request`,
    createHash('sha256').update(tc3CanonicalRequest(input), 'utf8').digest('hex'),
  ].join('\n');
  const kDate = createHmac('sha256', `TC3${input.secretKey}`).update(date).digest();
  const kService = createHmac('sha256', kDate).update(input.service).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/** The Authorization header for a request (test clients; kumod only verifies). */
export function tc3AuthorizationHeader(input: Tc3SignatureInput & { secretId: string }): string {
  const date = tc3Date(input.timestampSeconds);
  return (
    `${TC3_ALGORITHM} Credential=${input.secretId}/${date}/${input.service}/tc3_request, ` +
    `SignedHeaders=${input.signedHeaders.join(';')}, Signature=${tc3Signature(input)}`
  );
}
