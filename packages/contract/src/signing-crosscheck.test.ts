// Cross-checks computeSignature against the independent test signer: two implementations must agree.
import { independentSign } from '../../../test/api/support/independent-signer.js';
import { computeSignature, parseAuthorization, sha256Hex } from './signing.js';

const at = new Date('2026-11-22T19:01:02Z');
const cases: {
  name: string;
  method: string;
  url: string;
  body?: string;
  escapeColon?: boolean;
  headers?: Record<string, string>;
  version?: 2 | 3;
  pythonV3Headers?: boolean;
}[] = [
  {
    name: 'GET with flattened filters',
    method: 'GET',
    url: 'http://127.0.0.1:8080/v1/regions/local-1/keypairs?pageSize=10&filters.1.values.1=a%20b&filters.1.name=keyNames',
  },
  {
    name: 'POST action, raw colon',
    method: 'POST',
    url: 'http://kumo.example:443/v1/regions/r/keypairs:import',
    body: '{"keyName":"k"}',
  },
  {
    name: 'POST action, %3A colon',
    method: 'POST',
    url: 'http://h:8080/v1/regions/r/instances/i-x:stopInstance',
    body: '{}',
    escapeColon: true,
  },
  {
    name: 'repeated keys out of order',
    method: 'GET',
    url: 'http://h/v1/regions/r/images?ids=b&ids=a&ids.1=c',
  },
  {
    name: 'unicode path and body',
    method: 'POST',
    url: 'http://h/v1/regions/r/instances/名:modifyInstanceAttribute',
    body: '{"name":"云主机"}',
  },
  {
    name: 'DELETE with extra signed header',
    method: 'DELETE',
    url: 'http://h/v1/regions/r/keypairs/k',
    headers: { 'X-Jdcloud-Security-Token': 'tok', Accept: 'application/json' },
  },
  {
    name: 'v3: GET with + and %20 spaces, Python header set',
    method: 'GET',
    url: 'http://127.0.0.1:8080/v1/regions/local-1/keypairs?filters.1.values.1=a+b&filters.1.values.2=c%20d&pageSize=10',
    version: 3,
    pythonV3Headers: true,
  },
  {
    name: 'v3: POST action with raw colon and unicode',
    method: 'POST',
    url: 'http://h:8080/v1/regions/local-1/instances/名:modifyInstanceAttribute',
    body: '{"name":"云"}',
    version: 3,
  },
  {
    name: 'v3: doubled slashes and bare query key',
    method: 'DELETE',
    url: 'http://h/v1//regions/local-1/keypairs/k?flag&x=1',
    version: 3,
    pythonV3Headers: true,
  },
];

describe('independent signer agrees with computeSignature', () => {
  it.each(cases)('$name', (c) => {
    const out = independentSign({
      ...c,
      accessKey: 'AK',
      secretKey: 'SK',
      regionId: 'local-1',
      at,
      nonce: 'n',
    });
    const auth = parseAuthorization(out.headers.authorization ?? '');
    expect(auth).not.toBeNull();
    const u = new URL('http://x' + out.pathAndQuery);
    const rawPath = out.pathAndQuery.split('?')[0] as string;
    const headers = { ...out.headers, host: new URL(c.url).host };
    const sig = computeSignature({
      method: c.method,
      path: rawPath,
      query: u.search.replace(/^\?/, ''),
      headers,
      signedHeaders: auth?.signedHeaders ?? [],
      bodySha256Hex: sha256Hex(Buffer.from(c.body ?? '', 'utf8')),
      secretKey: 'SK',
      date: out.headers['x-jdcloud-date'] ?? '',
      regionId: 'local-1',
      service: 'vm',
    });
    expect(sig).toBe(auth?.signature);
  });
});
