// Unit tests for KumoClient and its transport: paths, queries, bodies, signatures and envelope errors, with a fake fetch.
import { computeSignature, parseAuthorization, sha256Hex } from '@kumo/contract';
import { KumoClient } from './client.js';
import { KumoApiError, KumoUnreachableError } from './errors.js';

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

function fakeClient(reply: (seen: Seen) => Response | Promise<Response>): {
  client: KumoClient;
  seen: Seen[];
} {
  const seen: Seen[] = [];
  const fakeFetch = (async (input: URL | string, init?: RequestInit) => {
    const s: Seen = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? init.body : '',
    };
    seen.push(s);
    return reply(s);
  }) as typeof fetch;
  const client = new KumoClient({
    endpoint: 'http://127.0.0.1:8080/',
    accessKey: 'AK1',
    secretKey: 'SK1',
    regionId: 'local-1',
    fetch: fakeFetch,
  });
  return { client, seen };
}

const ok = (result?: unknown) =>
  new Response(JSON.stringify(result === undefined ? { requestId: 'r1' } : { requestId: 'r1', result }), {
    status: 200,
  });

/** Verifies the request the way the server will: raw path and query, lower-case headers, body bytes. */
function verifies(s: Seen): boolean {
  const auth = parseAuthorization(s.headers.authorization ?? '');
  if (!auth) return false;
  const headers = { ...s.headers, host: s.url.host };
  return (
    computeSignature({
      method: s.method,
      path: s.url.pathname,
      query: s.url.search.replace(/^\?/, ''),
      headers,
      signedHeaders: auth.signedHeaders,
      bodySha256Hex: sha256Hex(s.body),
      secretKey: 'SK1',
      date: s.headers['x-jdcloud-date'] ?? '',
      regionId: auth.regionId,
      service: auth.service,
    }) === auth.signature
  );
}

describe('KumoClient requests', () => {
  it('createKeypair posts a signed JSON body and returns result', async () => {
    const { client, seen } = fakeClient(() => ok({ keyName: 'k', privateKey: 'PEM', keyFingerprint: 'aa' }));
    await expect(client.createKeypair('k')).resolves.toEqual({
      keyName: 'k',
      privateKey: 'PEM',
      keyFingerprint: 'aa',
    });
    const s = seen[0] as Seen;
    expect(s.method).toBe('POST');
    expect(s.url.pathname).toBe('/v1/regions/local-1/keypairs');
    expect(JSON.parse(s.body)).toEqual({ keyName: 'k' });
    expect(s.headers.authorization).toMatch(/Credential=AK1\/\d{8}\/local-1\/vm\/jdcloud2_request/);
    expect(s.headers.host).toBeUndefined();
    expect(verifies(s)).toBe(true);
  });

  it('importKeypair uses the :import action path', async () => {
    const { client, seen } = fakeClient(() => ok({ keyName: 'k', keyFingerprint: 'aa' }));
    await client.importKeypair('k', 'ssh-ed25519 AAAA');
    expect(seen[0]?.url.pathname).toBe('/v1/regions/local-1/keypairs:import');
    expect(verifies(seen[0] as Seen)).toBe(true);
  });

  it('describeKeypairs flattens filters into a signed query and sends no body', async () => {
    const { client, seen } = fakeClient(() => ok({ keypairs: [], totalCount: 0 }));
    await client.describeKeypairs({ pageSize: 50, filters: [{ name: 'keyNames', values: ['a b', 'c'] }] });
    const s = seen[0] as Seen;
    expect(s.method).toBe('GET');
    expect(s.url.search).toBe(
      '?filters.1.name=keyNames&filters.1.values.1=a%20b&filters.1.values.2=c&pageSize=50',
    );
    expect(s.body).toBe('');
    expect(verifies(s)).toBe(true);
  });

  it('encodes path ids so they cannot escape their segment', async () => {
    const { client, seen } = fakeClient(() => ok());
    await expect(client.deleteKeypair('../x?y')).resolves.toBeUndefined();
    expect(seen[0]?.url.pathname).toBe('/v1/regions/local-1/keypairs/..%2Fx%3Fy');
    expect(verifies(seen[0] as Seen)).toBe(true);
  });

  it('instance actions are POSTs with a colon verb and {} when there is no body', async () => {
    const { client, seen } = fakeClient(() => ok());
    await client.startInstance('i-abc');
    await client.resizeInstance('i-abc', 'g.n2.large');
    expect(seen[0]?.url.pathname).toBe('/v1/regions/local-1/instances/i-abc:startInstance');
    expect(seen[0]?.body).toBe('{}');
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ instanceType: 'g.n2.large' });
    expect(seen.every(verifies)).toBe(true);
  });

  it('describeImageConstraintsBatch sends ids.N and admin requests go under /admin/v1', async () => {
    const { client, seen } = fakeClient(() => ok({}));
    await client.describeImageConstraintsBatch(['img-a', 'img-b']);
    await client.adminRequest('GET', '/hosts', { query: { pageSize: 10 } });
    expect(seen[0]?.url.search).toBe('?ids.1=img-a&ids.2=img-b');
    expect(seen[1]?.url.pathname).toBe('/admin/v1/hosts');
    expect(seen.every(verifies)).toBe(true);
  });
});

describe('KumoClient errors', () => {
  it('throws KumoApiError from the JD error envelope', async () => {
    const { client } = fakeClient(
      () =>
        new Response(
          JSON.stringify({
            requestId: 'req9',
            error: { code: 404, status: 'NOT_FOUND', message: "KeyPair 'k' not found" },
          }),
          { status: 404 },
        ),
    );
    const err = await client.deleteKeypair('k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KumoApiError);
    expect(err).toMatchObject({
      httpStatus: 404,
      status: 'NOT_FOUND',
      message: "KeyPair 'k' not found",
      requestId: 'req9',
    });
  });

  it('throws KumoApiError for a non-JSON error page, taking the request id from the header', async () => {
    const { client } = fakeClient(
      () =>
        new Response('<html>bad gateway</html>', { status: 502, headers: { 'x-jdcloud-request-id': 'hdr' } }),
    );
    await expect(client.describeQuotas()).rejects.toMatchObject({
      httpStatus: 502,
      status: 'INTERNAL',
      requestId: 'hdr',
    });
  });

  it('throws KumoUnreachableError when fetch fails', async () => {
    const { client } = fakeClient(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    const err = await client.describeQuotas().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KumoUnreachableError);
    expect((err as Error).message).toBe('Cannot reach http://127.0.0.1:8080: ECONNREFUSED');
  });
});
