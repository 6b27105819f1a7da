// TC3-HMAC-SHA256 against vectors produced with Tencent's own signer
// (tencentcloud-sdk-nodejs-common's Sign.sign3, v4.1.316, secret id AKIDEXAMPLE, secret key
// SecretKeyExample0123, Content-Type application/json, the host's name without port signed).
import { sha256Hex } from './signing.js';
import { parseTc3Authorization, tc3AuthorizationHeader, tc3Date, tc3Signature } from './signing-tc3.js';

const vectors = [
  {
    host: '127.0.0.1',
    body: '{"Limit":10,"Offset":0}',
    ts: 1795000000,
    auth: 'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-11-18/127/tc3_request, SignedHeaders=content-type;host, Signature=b75d979363a8854f9027c7d167f4110f0085e8ed55664b26cf9c6c086ee85546',
  },
  {
    host: 'cvm.kumo.example',
    body: '{"InstanceIds":["ins-abc123def456"],"ForceStop":true}',
    ts: 1795086399,
    auth: 'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-11-19/cvm/tc3_request, SignedHeaders=content-type;host, Signature=e9408f1909c75719248b1407f5e87ca94688b0e4949f603a28d1be7a2c304b01',
  },
  {
    host: 'localhost',
    body: '{"InstanceName":"名字"}',
    ts: 1795000001,
    auth: 'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-11-18/localhost/tc3_request, SignedHeaders=content-type;host, Signature=d649905f66b0a296d310e151632a4c7f0640926d48613529034a6e6c7b88eb31',
  },
];

describe.each(vectors)('the SDK vector for $host', (v) => {
  const parsed = parseTc3Authorization(v.auth)!;
  const input = {
    method: 'POST',
    path: '/',
    query: '',
    headerValues: { 'content-type': 'application/json', host: v.host },
    signedHeaders: parsed.signedHeaders,
    bodySha256Hex: sha256Hex(Buffer.from(v.body, 'utf8')),
    timestampSeconds: v.ts,
    service: parsed.service,
    secretKey: 'SecretKeyExample0123',
  };

  test('parses into its scope', () => {
    expect(parsed).toMatchObject({ secretId: 'AKIDEXAMPLE', date: tc3Date(v.ts) });
    expect(parsed.signedHeaders).toEqual(['content-type', 'host']);
  });

  test('is reproduced exactly', () => {
    expect(tc3Signature(input)).toBe(parsed.signature);
    expect(tc3AuthorizationHeader({ ...input, secretId: 'AKIDEXAMPLE' })).toBe(v.auth);
  });

  test('changes with the body, the host, the timestamp and the secret', () => {
    expect(tc3Signature({ ...input, bodySha256Hex: sha256Hex(`${v.body} `) })).not.toBe(parsed.signature);
    expect(tc3Signature({ ...input, headerValues: { ...input.headerValues, host: 'evil' } })).not.toBe(
      parsed.signature,
    );
    expect(tc3Signature({ ...input, timestampSeconds: v.ts + 1 })).not.toBe(parsed.signature);
    expect(tc3Signature({ ...input, secretKey: 'other' })).not.toBe(parsed.signature);
  });
});

test('header values are signed trimmed and lowercased, as Tencent documents', () => {
  const base = {
    method: 'POST',
    path: '/',
    query: '',
    signedHeaders: ['content-type', 'host'],
    bodySha256Hex: sha256Hex('{}'),
    timestampSeconds: 1795000000,
    service: 'cvm',
    secretKey: 's',
  };
  expect(
    tc3Signature({ ...base, headerValues: { 'content-type': ' Application/JSON ', host: 'CVM.x' } }),
  ).toBe(tc3Signature({ ...base, headerValues: { 'content-type': 'application/json', host: 'cvm.x' } }));
});

test.each([
  '',
  'JDCLOUD2-HMAC-SHA256 Credential=a/20261118/r/vm/jdcloud2_request, SignedHeaders=host, Signature=00',
  'TC3-HMAC-SHA256 Credential=AK/2026-11-18/cvm/tc3_request, SignedHeaders=host, Signature=xyz',
  'TC3-HMAC-SHA256 Credential=AK/20261118/cvm/tc3_request, SignedHeaders=host, Signature=' + '0'.repeat(64),
  'TC3-HMAC-SHA256 Credential=AK/2026-11-18/cvm/tc3_request, SignedHeaders=;host, Signature=' +
    '0'.repeat(64),
])('refuses a header that is not TC3: %s', (h) => {
  expect(parseTc3Authorization(h)).toBeNull();
});
