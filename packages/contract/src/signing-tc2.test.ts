// API 2.0 signatures against vectors produced with Tencent's legacy SDK (qcloudapi-sdk 0.2.1's
// generateQueryString, secret key SecretKeyExample0123, host 127.0.0.1:8080, POST /v2/index.php).
import { tc2Signature, tc2StringToSign } from './signing-tc2.js';

const common = {
  Region: 'local-1',
  SecretId: 'AKIDEXAMPLE',
  Timestamp: '1795000000',
  Nonce: '32768',
  RequestClient: 'SDK_NODEJS_0.2.1',
};
const vectors: { params: Record<string, string>; signature: string }[] = [
  {
    params: {
      ...common,
      Action: 'DescribeInstances',
      'instanceIds.0': 'ins-abcdefabcdef',
      offset: '0',
      limit: '20',
    },
    signature: 'kMqyk6j6bq0+Tycbh8/UCr6CDWc=',
  },
  {
    params: {
      ...common,
      Action: 'StopInstances',
      'instanceIds.0': 'ins-abcdefabcdef',
      'instanceIds.1': 'ins-000000000001',
      SignatureMethod: 'HmacSHA256',
    },
    signature: '10GNY4KTezYGjKmbrOlJP8PYt1Q/gpT5WxDBsuV9Rwc=',
  },
];

const input = (params: Record<string, string>) => ({
  method: 'POST',
  host: '127.0.0.1:8080',
  path: '/v2/index.php',
  params,
  secretKey: 'SecretKeyExample0123',
});

test.each(vectors)('reproduces the legacy SDK: $params.Action', (v) => {
  expect(tc2Signature(input(v.params))).toBe(v.signature);
  // The Signature parameter itself is never signed.
  expect(tc2Signature(input({ ...v.params, Signature: v.signature }))).toBe(v.signature);
});

test('every parameter, the host and the secret are covered', () => {
  const v = vectors[0]!;
  expect(tc2Signature(input({ ...v.params, limit: '21' }))).not.toBe(v.signature);
  expect(tc2Signature({ ...input(v.params), host: '127.0.0.1:8081' })).not.toBe(v.signature);
  expect(tc2Signature({ ...input(v.params), secretKey: 'x' })).not.toBe(v.signature);
});

test('the string to sign is sorted key=value pairs after method, host and path', () => {
  expect(
    tc2StringToSign({ method: 'get', host: 'h', path: '/v2/index.php', params: { b: '2', a: '1 x' } }),
  ).toBe('GEThost/v2/index.php?a=1 x&b=2'.replace('host', 'h'));
});

test('an unknown SignatureMethod has no signature', () => {
  expect(tc2Signature(input({ ...common, SignatureMethod: 'MD5' }))).toBeUndefined();
});
