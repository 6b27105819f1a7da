// The little of Tencent's legacy qcloudapi-sdk (plain JavaScript, no types) the tests use.
declare module 'qcloudapi-sdk' {
  interface Defaults {
    SecretId: string;
    SecretKey: string;
    serviceType?: string;
    Region?: string;
    host?: string;
    path?: string;
    protocol?: string;
    method?: string;
    signatureMethod?: 'sha1' | 'sha256';
  }
  class QcloudApi {
    constructor(defaults: Defaults);
    defaults: Defaults;
    request(data: Record<string, unknown>, callback: (err: Error | null, body: unknown) => void): void;
    request(
      data: Record<string, unknown>,
      opts: Partial<Defaults>,
      callback: (err: Error | null, body: unknown) => void,
    ): void;
    generateQueryString(data: Record<string, unknown>, opts?: Partial<Defaults>): string;
  }
  export default QcloudApi;
}
