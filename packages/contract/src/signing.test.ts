// Unit tests for JD request signing: hand-derived vectors, canonicalisation rules and round trips.
import {
  EMPTY_BODY_SHA256,
  buildCanonicalRequest,
  canonicalQuery,
  canonicalUri,
  computeSignature,
  formatJdDate,
  parseAuthorization,
  sha256Hex,
  signRequest,
  signaturesEqual,
  type SignatureInput,
} from './signing.js';

const NONCE = 'ed558a3b-9808-4edb-8597-187bda63a4f2';
const SIGNED = ['content-type', 'host', 'x-jdcloud-date', 'x-jdcloud-nonce'];

function getInput(overrides: Partial<SignatureInput> = {}): SignatureInput {
  return {
    method: 'GET',
    path: '/v1/regions/cn-north-1/instances',
    query: 'pageSize=10&pageNumber=1',
    headers: {
      'content-type': 'application/json',
      host: 'vm.jdcloud-api.com',
      'x-jdcloud-date': '20180119T070300Z',
      'x-jdcloud-nonce': NONCE,
      'user-agent': 'JdcloudSdkGo/1.0 vm/1.0.8',
    },
    signedHeaders: SIGNED,
    bodySha256Hex: EMPTY_BODY_SHA256,
    secretKey: 'TESTSK',
    date: '20180119T070300Z',
    regionId: 'cn-north-1',
    service: 'vm',
    ...overrides,
  };
}

describe('fixed vectors (derived step by step with openssl from the published algorithm)', () => {
  it('signs a GET with a query string', () => {
    const input = getInput();
    expect(sha256Hex(buildCanonicalRequest(input))).toBe(
      '072b817dfdbe46ad4a34cb4a7bcfdddcb361bf889ccadbeb2914bbc25be3de74',
    );
    expect(computeSignature(input)).toBe('39bc3408a276a1af6f3abe15bd3ed48586d50b5a0d091199122e32a06eb9ddfd');
  });

  it('signs a POST action with a body, colon as %3A in the canonical URI', () => {
    const body = '{"instanceType":"g.n2.medium"}';
    const input = getInput({
      method: 'POST',
      path: '/v1/regions/cn-north-1/instances/i-abc:resizeInstance',
      query: '',
      headers: {
        'content-type': 'application/json',
        host: '127.0.0.1:8080',
        'x-jdcloud-date': '20180119T070300Z',
        'x-jdcloud-nonce': 'n-1',
      },
      bodySha256Hex: sha256Hex(body),
    });
    expect(sha256Hex(body)).toBe('5ee25f7bb21b1f91c0fa9202d6dbb97a24b9b8155866ab588f1fcf70b6a1a92f');
    expect(computeSignature(input)).toBe('c91a158b4d382e8e361bc94313a50059e38a0dc93a5ad52c1e786b17326fd99a');
    expect(
      computeSignature({ ...input, path: '/v1/regions/cn-north-1/instances/i-abc%3AresizeInstance' }),
    ).toBe('c91a158b4d382e8e361bc94313a50059e38a0dc93a5ad52c1e786b17326fd99a');
  });
});

describe('canonicalUri', () => {
  it('encodes the action colon and treats %3A, %3a and raw colon alike', () => {
    expect(canonicalUri('/v1/regions/r/keypairs:import')).toBe('/v1/regions/r/keypairs%3Aimport');
    expect(canonicalUri('/v1/regions/r/keypairs%3aimport')).toBe('/v1/regions/r/keypairs%3Aimport');
    expect(canonicalUri('/v1/regions/r/keypairs%3Aimport')).toBe('/v1/regions/r/keypairs%3Aimport');
  });
  it('encodes unicode as upper-case UTF-8 bytes whether sent raw or encoded', () => {
    expect(canonicalUri('/a/名')).toBe('/a/%E5%90%8D');
    expect(canonicalUri('/a/%e5%90%8d')).toBe('/a/%E5%90%8D');
  });
  it('keeps unreserved characters and turns an empty path into /', () => {
    expect(canonicalUri('/A-z_0.9~')).toBe('/A-z_0.9~');
    expect(canonicalUri('')).toBe('/');
    expect(canonicalUri('/a%zz')).toBe('/a%25zz');
  });
});

describe('canonicalQuery', () => {
  it('sorts by key then value, without re-encoding', () => {
    expect(canonicalQuery('b=2&a=1&a=0&c=x+y&d=x%20y')).toBe('a=0&a=1&b=2&c=x+y&d=x%20y');
  });
  it('sorts by key, not by the joined pair ("a" before "a.b")', () => {
    expect(canonicalQuery('a.b=1&a=2')).toBe('a=2&a.b=1');
  });
  it('gives missing values an empty value, drops empty pieces and encodes extra =', () => {
    expect(canonicalQuery('flag&&x=&y=a=b')).toBe('flag=&x=&y=a%3Db');
    expect(canonicalQuery('')).toBe('');
  });
});

describe('parseAuthorization', () => {
  const header =
    'JDCLOUD2-HMAC-SHA256 Credential=AK123/20180119/cn-north-1/vm/jdcloud2_request, ' +
    'SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, Signature=' +
    '39BC3408a276a1af6f3abe15bd3ed48586d50b5a0d091199122e32a06eb9ddfd';
  it('parses an SDK header', () => {
    expect(parseAuthorization(header)).toEqual({
      algorithm: 'JDCLOUD2-HMAC-SHA256',
      accessKey: 'AK123',
      credentialDate: '20180119',
      regionId: 'cn-north-1',
      service: 'vm',
      signedHeaders: SIGNED,
      signature: '39bc3408a276a1af6f3abe15bd3ed48586d50b5a0d091199122e32a06eb9ddfd',
    });
  });
  it('accepts commas without spaces', () => {
    expect(parseAuthorization(header.replace(/, /g, ','))?.accessKey).toBe('AK123');
  });
  it.each([
    '',
    'AWS4-HMAC-SHA256 Credential=a/b/c/d/e',
    header.replace('jdcloud2_request', 'aws4_request'),
    header.replace('/20180119/', '/2018011/'),
    header.replace('Signature=39', 'Signature=zz'),
    header.replace(', Signature=', ', Sig='),
    header.replace('Credential=AK123/', 'Credential=/'),
    header + ', Signature=' + 'a'.repeat(64),
    'JDCLOUD2-HMAC-SHA256 ' + 'x'.repeat(5000),
  ])('rejects malformed header %#', (bad) => {
    expect(parseAuthorization(bad)).toBeNull();
  });
});

describe('signRequest round trips', () => {
  const creds = { accessKey: 'AK', secretKey: 'SK-secret', regionId: 'local-1' };
  const now = new Date('2026-11-22T18:50:07.123Z');

  function verify(
    headers: Record<string, string>,
    wirePath: string,
    wireQuery: string,
    body: string,
  ): boolean {
    const auth = parseAuthorization(headers.authorization ?? '');
    if (!auth) return false;
    const expected = computeSignature({
      method: 'POST',
      path: wirePath,
      query: wireQuery,
      headers,
      signedHeaders: auth.signedHeaders,
      bodySha256Hex: sha256Hex(Buffer.from(body, 'utf8')),
      secretKey: 'SK-secret',
      date: headers['x-jdcloud-date'] ?? '',
      regionId: auth.regionId,
      service: auth.service,
    });
    return signaturesEqual(expected, auth.signature);
  }

  it('formats the date and signs exactly the returned headers', () => {
    const url = new URL('http://127.0.0.1:8080/v1/regions/local-1/keypairs');
    const h = signRequest({
      method: 'POST',
      url,
      headers: { 'User-Agent': 'kumo' },
      body: '{}',
      ...creds,
      now,
    });
    expect(formatJdDate(now)).toBe('20261122T185007Z');
    expect(h['x-jdcloud-date']).toBe('20261122T185007Z');
    expect(h.host).toBe('127.0.0.1:8080');
    expect(h['content-type']).toBe('application/json');
    expect(h['user-agent']).toBe('kumo');
    expect(h.authorization).toMatch(
      /^JDCLOUD2-HMAC-SHA256 Credential=AK\/20261122\/local-1\/vm\/jdcloud2_request, SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, Signature=[0-9a-f]{64}$/,
    );
    expect(verify(h, url.pathname, '', '{}')).toBe(true);
    expect(verify(h, url.pathname, '', '{ }')).toBe(false);
  });

  it('verifies whether the server sees the colon raw or as %3A', () => {
    const url = new URL('http://h/v1/regions/local-1/keypairs:import');
    const h = signRequest({ method: 'POST', url, headers: {}, body: '{"a":1}', ...creds, now });
    expect(verify(h, '/v1/regions/local-1/keypairs:import', '', '{"a":1}')).toBe(true);
    expect(verify(h, '/v1/regions/local-1/keypairs%3Aimport', '', '{"a":1}')).toBe(true);
    expect(verify(h, '/v1/regions/local-1/keypairs%3Bimport', '', '{"a":1}')).toBe(false);
  });

  it('verifies repeated query keys whatever order they arrive in', () => {
    const url = new URL('http://h/v1/regions/local-1/images?ids=b&ids=a&pageSize=10');
    const h = signRequest({ method: 'POST', url, headers: {}, body: '', ...creds, now });
    expect(verify(h, url.pathname, 'ids=b&ids=a&pageSize=10', '')).toBe(true);
    expect(verify(h, url.pathname, 'pageSize=10&ids=a&ids=b', '')).toBe(true);
    expect(verify(h, url.pathname, 'pageSize=10&ids=a&ids=c', '')).toBe(false);
  });

  it('verifies unicode in path, query and body', () => {
    const url = new URL('http://h/v1/regions/local-1/keypairs/名字?filters.1.values.1=%E5%90%8D');
    const body = '{"name":"云主机"}';
    const h = signRequest({ method: 'POST', url, headers: {}, body, ...creds, now });
    expect(url.pathname).toBe('/v1/regions/local-1/keypairs/%E5%90%8D%E5%AD%97');
    expect(verify(h, '/v1/regions/local-1/keypairs/名字', url.search.slice(1), body)).toBe(true);
    expect(verify(h, url.pathname, url.search.slice(1), body)).toBe(true);
    expect(verify(h, url.pathname, url.search.slice(1), '{"name":"云主"}')).toBe(false);
  });

  it('never signs user-agent or authorization, and detects a tampered signed header', () => {
    const url = new URL('http://h/v1/regions/local-1/quotas');
    const h = signRequest({
      method: 'POST',
      url,
      headers: { authorization: 'old', 'x-jdcloud-request-id': 'r' },
      body: '',
      ...creds,
      now,
      nonce: 'fixed',
    });
    expect(h['x-jdcloud-nonce']).toBe('fixed');
    expect(parseAuthorization(h.authorization ?? '')?.signedHeaders).toEqual(SIGNED);
    expect(verify({ ...h, 'user-agent': 'changed' }, url.pathname, '', '')).toBe(true);
    expect(verify({ ...h, 'x-jdcloud-nonce': 'other' }, url.pathname, '', '')).toBe(false);
  });
});
