// Tencent's legacy qcloudapi-sdk pointed at a kumod's `/v2/index.php` (API 2.0), promisified.
import QcloudApi from 'qcloudapi-sdk';

/** The API 2.0 envelope. */
export interface V2Answer {
  code: number;
  message: string;
  codeDesc: string;
  [member: string]: unknown;
}

/** A client whose call(action, params) resolves with the answer (errors are answers too). */
export function v2Client(
  endpoint: string,
  keys: { accessKey: string; secretKey: string },
  opts: { method?: 'GET' | 'POST'; signatureMethod?: 'sha1' | 'sha256'; region?: string } = {},
) {
  const u = new URL(endpoint);
  const api = new QcloudApi({
    SecretId: keys.accessKey,
    SecretKey: keys.secretKey,
    serviceType: 'cvm',
    Region: opts.region ?? 'local-1',
    host: u.host,
    protocol: u.protocol.replace(':', ''),
    path: '/v2/index.php',
    method: opts.method ?? 'POST',
    signatureMethod: opts.signatureMethod ?? 'sha1',
  });
  return {
    api,
    call: (action: string, params: Record<string, unknown> = {}): Promise<V2Answer> =>
      new Promise((resolve, reject) =>
        api.request({ Action: action, ...params }, (err, body) =>
          err ? reject(err) : resolve(body as V2Answer),
        ),
      ),
  };
}
