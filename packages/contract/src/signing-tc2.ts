// Tencent Cloud's API 2.0 request signature (`/v2/index.php`): HmacSHA1, or HmacSHA256 when
// `SignatureMethod=HmacSHA256`, in base64, over METHOD + host + path + '?' + every parameter but
// Signature as `key=value` sorted by key, values as sent (not URL-encoded). For the verifier and
// for test clients; knows nothing about HTTP frameworks or accounts.
import { createHmac } from 'node:crypto';

/** The digests API 2.0 defines, by their SignatureMethod value. */
export const TC2_METHODS = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' } as const;

/** What an API 2.0 signature covers. */
export interface Tc2SignatureInput {
  method: string;
  /** The Host the client signed (Tencent's legacy SDK signs the host it sends, port included). */
  host: string;
  path: string;
  /** Every parameter by name, decoded, Signature excluded. */
  params: Record<string, string>;
  secretKey: string;
}

/** The string an API 2.0 client signs. */
export function tc2StringToSign(input: Omit<Tc2SignatureInput, 'secretKey'>): string {
  const pairs = Object.keys(input.params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${k}=${input.params[k]}`)
    .join('&');
  return `${input.method.toUpperCase()}${input.host}${input.path}?${pairs}`;
}

/** The base64 signature; undefined for an unknown SignatureMethod. */
export function tc2Signature(input: Tc2SignatureInput): string | undefined {
  const name = input.params.SignatureMethod ?? 'HmacSHA1';
  const digest = (TC2_METHODS as Record<string, string>)[name];
  if (!digest) return undefined;
  return createHmac(digest, input.secretKey).update(tc2StringToSign(input), 'utf8').digest('base64');
}
