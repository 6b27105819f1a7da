// The Authorization header of JD Cloud's signatures: the algorithm names, the credential scope's
// terminator per version, and the parser of the header. Pure; no I/O, no verification policy.

/** The algorithm name that prefixes the Authorization header and the string to sign (Go, Node and older Python SDKs). */
export const JDCLOUD_SIGNING_ALGORITHM = 'JDCLOUD2-HMAC-SHA256';

/** The newer algorithm the Python SDK signs with since 2026 (jdcloud_sdk/core/signer.py signV3). */
export const JDCLOUD3_SIGNING_ALGORITHM = 'JDCLOUD3-HMAC-SHA256';

/** A signing algorithm Kumo verifies. */
export type SigningAlgorithm = typeof JDCLOUD_SIGNING_ALGORITHM | typeof JDCLOUD3_SIGNING_ALGORITHM;

/** The last element of every JDCLOUD2 credential scope. */
export const JDCLOUD_SCOPE_TERMINATOR = 'jdcloud2_request';

/** The last element of every JDCLOUD3 credential scope. */
export const JDCLOUD3_SCOPE_TERMINATOR = 'jdcloud3_request';

const SCOPE_TERMINATORS: Record<SigningAlgorithm, string> = {
  [JDCLOUD_SIGNING_ALGORITHM]: JDCLOUD_SCOPE_TERMINATOR,
  [JDCLOUD3_SIGNING_ALGORITHM]: JDCLOUD3_SCOPE_TERMINATOR,
};

/** The fields of a JDCLOUD2/JDCLOUD3-HMAC-SHA256 Authorization header. */
export interface ParsedAuthorization {
  algorithm: SigningAlgorithm;
  accessKey: string;
  credentialDate: string;
  regionId: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const MAX_AUTHORIZATION_LENGTH = 4096;

/**
 * Parses `JDCLOUD2-HMAC-SHA256 Credential=AK/yyyymmdd/region/service/jdcloud2_request,
 * SignedHeaders=a;b, Signature=hex` (or the JDCLOUD3 form ending in jdcloud3_request); returns null for
 * anything malformed (never throws).
 */
export function parseAuthorization(header: string): ParsedAuthorization | null {
  if (header.length > MAX_AUTHORIZATION_LENGTH) return null;
  const trimmed = header.trim();
  const algorithm = ([JDCLOUD_SIGNING_ALGORITHM, JDCLOUD3_SIGNING_ALGORITHM] as const).find((a) =>
    trimmed.startsWith(a + ' '),
  );
  if (algorithm === undefined) return null;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(algorithm.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return null;
    fields.set(name, part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) return null;
  const scope = credential.split('/');
  if (scope.length !== 5) return null;
  const [accessKey, credentialDate, regionId, service, terminator] = scope as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!accessKey || !regionId || !service || terminator !== SCOPE_TERMINATORS[algorithm]) return null;
  if (!/^\d{8}$/.test(credentialDate)) return null;
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return null;
  const names = signedHeaders.split(';').map((h) => h.trim().toLowerCase());
  if (names.some((h) => !/^[a-z0-9!#$%&'*+\-.^_`|~]+$/.test(h))) return null;
  return {
    algorithm,
    accessKey,
    credentialDate,
    regionId,
    service,
    signedHeaders: names,
    signature: signature.toLowerCase(),
  };
}
