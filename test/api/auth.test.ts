// Authentication with requests signed by an independent JD signer (no code shared with the server):
// good signatures pass in every SDK dialect; every kind of tampering, expiry and replay gets 401.
import { randomUUID } from 'node:crypto';
import { independentSign, type IndependentSignInput } from './support/independent-signer.js';
import { clientFor, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { sendRaw, type RawResponse } from '../support/raw-request.js';

let kumod: TestKumod;
let keys: { accessKey: string; secretKey: string };

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({ KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000' });
  keys = await kumod.admin().adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'signer' },
  });
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
});

type Req = Omit<IndependentSignInput, 'accessKey' | 'secretKey' | 'regionId' | 'url'> & {
  path: string;
  regionId?: string;
  secretKey?: string;
};

function sign(r: Req) {
  return independentSign({
    accessKey: keys.accessKey,
    secretKey: r.secretKey ?? keys.secretKey,
    regionId: r.regionId ?? 'local-1',
    url: `${kumod.endpoint}${r.path}`,
    ...r,
  });
}

function send(
  signed: ReturnType<typeof sign>,
  method: string,
  body = '',
  pathAndQuery?: string,
): Promise<RawResponse> {
  return sendRaw(kumod.endpoint, method, pathAndQuery ?? signed.pathAndQuery, signed.headers, body);
}

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBZAWGinU0QhYllXt5xh6GstcDO5Apv/UVu8kyIeI71N';

describe('accepted', () => {
  test.each([
    ['JDCLOUD2, colon raw (Python <1.6.95)', { version: 2 as const, escapeColon: false }],
    ['JDCLOUD2, colon as %3A (Go SDK)', { version: 2 as const, escapeColon: true }],
    ['JDCLOUD3, all headers signed', { version: 3 as const, escapeColon: false }],
    ['JDCLOUD3, only content-type;host signed (Python SDK)', { version: 3 as const, pythonV3Headers: true }],
  ])('%s: import, list with filters, delete', async (_label, dialect) => {
    const name = `k-${randomUUID().slice(0, 8)}`;
    const body = JSON.stringify({ keyName: name, publicKey: PUB });
    const imported = await send(
      sign({ method: 'POST', path: '/v1/regions/local-1/keypairs:import', body, ...dialect }),
      'POST',
      body,
    );
    expect([imported.status, imported.json.result]).toEqual([
      200,
      { keyName: name, keyFingerprint: expect.any(String) },
    ]);

    const q = `?pageSize=10&filters.1.name=keyNames&filters.1.values.1=${name}&filters.1.values.2=other%20name`;
    const listed = await send(
      sign({ method: 'GET', path: `/v1/regions/local-1/keypairs${q}`, ...dialect }),
      'GET',
    );
    expect(listed.status).toBe(200);
    expect(listed.json.result).toMatchObject({ totalCount: 1, keypairs: [{ keyName: name }] });

    const del = await send(
      sign({ method: 'DELETE', path: `/v1/regions/local-1/keypairs/${name}`, ...dialect }),
      'DELETE',
    );
    expect(del.status).toBe(200);
  });
});

describe('rejected with 401 UNAUTHENTICATED', () => {
  const listPath = '/v1/regions/local-1/keypairs?pageSize=10';

  async function expect401(r: RawResponse, message: RegExp) {
    expect([r.status, r.json.error?.status]).toEqual([401, 'UNAUTHENTICATED']);
    expect(r.json.error?.message).toMatch(message);
  }

  test('wrong secret', async () => {
    await expect401(
      await send(sign({ method: 'GET', path: listPath, secretKey: 'not-the-secret' }), 'GET'),
      /Signature/,
    );
  });

  test('expired date, and a date too far in the future', async () => {
    const old = sign({ method: 'GET', path: listPath, at: new Date(Date.now() - 3600_000) });
    await expect401(await send(old, 'GET'), /clock skew/);
    const future = sign({ method: 'GET', path: listPath, at: new Date(Date.now() + 3600_000) });
    await expect401(await send(future, 'GET'), /clock skew/);
  });

  test('tampered body: the keypair is not created', async () => {
    const signedBody = JSON.stringify({ keyName: 'honest', publicKey: PUB });
    const sentBody = JSON.stringify({ keyName: 'tampered', publicKey: PUB });
    const s = sign({ method: 'POST', path: '/v1/regions/local-1/keypairs:import', body: signedBody });
    await expect401(await send(s, 'POST', sentBody), /Signature/);
    const list = await clientFor(kumod.endpoint, keys).describeKeypairs({
      filters: [{ name: 'keyNames', values: ['honest', 'tampered'] }],
    });
    expect(list.totalCount).toBe(0);
  });

  test('tampered query and tampered path', async () => {
    const s = sign({ method: 'GET', path: listPath });
    await expect401(await send(s, 'GET', '', '/v1/regions/local-1/keypairs?pageSize=50'), /Signature/);
    const d = sign({ method: 'DELETE', path: '/v1/regions/local-1/keypairs/one' });
    await expect401(await send(d, 'DELETE', '', '/v1/regions/local-1/keypairs/two'), /Signature/);
  });

  test('replayed nonce', async () => {
    const s = sign({ method: 'GET', path: listPath });
    expect((await send(s, 'GET')).status).toBe(200);
    await expect401(await send(s, 'GET'), /Nonce already used/);
  });

  test('replayed Python-SDK-style mutation (nonce unsigned): keyed by its signature', async () => {
    const body = JSON.stringify({ keyName: 'py-once', publicKey: PUB });
    const s = sign({
      method: 'POST',
      path: '/v1/regions/local-1/keypairs:import',
      body,
      version: 3,
      pythonV3Headers: true,
    });
    expect((await send(s, 'POST', body)).status).toBe(200);
    const swapped = { ...s, headers: { ...s.headers, 'x-jdcloud-nonce': randomUUID() } };
    await expect401(await send(swapped, 'POST', body), /already used/);
  });

  test('unknown access key, missing or garbled Authorization, region mismatch', async () => {
    const s = sign({ method: 'GET', path: listPath });
    const unknown = {
      ...s,
      headers: { ...s.headers, authorization: s.headers.authorization!.replace(keys.accessKey, 'AKNOBODY') },
    };
    await expect401(await send(unknown, 'GET'), /access key/);
    const { authorization: _a, ...noAuth } = s.headers;
    await expect401(await sendRaw(kumod.endpoint, 'GET', listPath, noAuth), /Authorization/);
    await expect401(
      await sendRaw(kumod.endpoint, 'GET', listPath, { ...noAuth, authorization: 'Bearer x' }),
      /Authorization/,
    );
    const otherRegion = sign({ method: 'GET', path: listPath, regionId: 'cn-north-1' });
    await expect401(await send(otherRegion, 'GET'), /region/);
  });
});
