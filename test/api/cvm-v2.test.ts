// CVM API 2.0 (`/v2/index.php`) driven by Tencent's legacy qcloudapi-sdk: HmacSHA1 and HmacSHA256,
// GET and POST, `instanceIds.N` lists and lowercase offset/limit, the seed's `{"code":0,…}`
// envelope and numeric error codes; the same key pairs and budgets as the JD and 3.0 APIs.
// Lifecycle actions on real guests are in test/guest/api/cvm.test.ts.
import { clientFor, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { v2Client } from '../support/qcloud-v2.js';
import { cvmClient } from '../support/cvm-sdk.js';

let kumod: TestKumod;
let keys: { accessKey: string; secretKey: string };

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({ KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '40' });
  keys = await kumod.admin().adminRequest('POST', '/accounts', { body: { name: 'v2-user' } });
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
});

test('DescribeKeyPairs and DescribeInstances with keyIds.N, instanceIds.N, offset and limit', async () => {
  const jd = clientFor(kumod.endpoint, keys);
  for (const n of ['a1', 'a2', 'a3']) await jd.createKeypair(n);
  for (const [method, signatureMethod] of [
    ['POST', 'sha1'],
    ['GET', 'sha256'],
  ] as const) {
    const { call } = v2Client(kumod.endpoint, keys, { method, signatureMethod });
    const all = await call('DescribeKeyPairs');
    expect(all).toMatchObject({ code: 0, message: '', totalCount: 3 });
    const page = await call('DescribeKeyPairs', { offset: 1, limit: 1 });
    expect((page.keySet as { keyId: string }[]).map((k) => k.keyId)).toEqual(['skey-a2']);
    const listed = await call('DescribeKeyPairs', { keyIds: ['skey-a3', 'skey-a1'] });
    expect((listed.keySet as { keyName: string }[]).map((k) => k.keyName).sort()).toEqual(['a1', 'a3']);
    expect(
      await call('DescribeInstances', { 'instanceIds.0': 'ins-000000000000', offset: 0, limit: 20 }),
    ).toMatchObject({ code: 0, totalCount: 0, instanceSet: [] });
    expect(await call('DescribeImages', { imageType: 2 })).toMatchObject({ code: 0, imageSet: [] });
  }
});

test('bad input: the seed codes, with codeDesc naming the Tencent error; nothing changes', async () => {
  const { call } = v2Client(kumod.endpoint, keys);
  const cases: [number, string, Promise<{ code: number; codeDesc: string }>][] = [
    [4000, 'InvalidParameterValue.LimitExceeded', call('DescribeInstances', { limit: 101 })],
    [4000, 'InvalidInstanceId.Malformed', call('DescribeInstances', { 'instanceIds.0': 'i-1' })],
    [4000, 'InvalidParameterValue', call('DescribeInstances', { 'instanceIds.1': 'ins-000000000000' })],
    [4000, 'InvalidAction', call('FormatDisk')],
    [
      4000,
      'UnsupportedRegion',
      v2Client(kumod.endpoint, keys, { region: 'mars-1' }).call('DescribeKeyPairs'),
    ],
    [
      4100,
      'AuthFailure.SignatureFailure',
      v2Client(kumod.endpoint, { ...keys, secretKey: 'x' }).call('DescribeKeyPairs'),
    ],
    [5000, 'InvalidInstanceId.NotFound', call('StopInstances', { instanceIds: ['ins-000000000001'] })],
    [5000, 'InvalidInstanceId.NotFound', call('TerminateInstances', { instanceIds: ['ins-000000000002'] })],
    [4000, 'MissingParameter', call('StartInstances')],
    [
      4000,
      'InvalidParameterValue',
      call('RunInstances', { zoneId: 'nowhere', imageId: 'img-000000000000', cpu: 1, mem: 1 }),
    ],
  ];
  for (const [code, codeDesc, p] of cases) expect(await p).toMatchObject({ code, codeDesc });
  expect((await cvmClient(kumod.endpoint, keys).DescribeInstances({})).TotalCount).toBe(0);
});

test('an old Timestamp is 4200, a reused Nonce 4500', async () => {
  const { api } = v2Client(kumod.endpoint, keys);
  const post = (query: string) =>
    fetch(`${kumod.endpoint}/v2/index.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: query,
    }).then((r) => r.json() as Promise<{ code: number }>);
  const signed = api.generateQueryString({ Action: 'DescribeKeyPairs' }, api.defaults);
  expect(await post(signed)).toMatchObject({ code: 0 });
  expect(await post(signed)).toMatchObject({ code: 4500 });
  const realNow = Date.now;
  Date.now = () => realNow() - 3_600_000;
  const old = api.generateQueryString({ Action: 'DescribeKeyPairs' }, api.defaults);
  Date.now = realNow;
  expect(await post(old)).toMatchObject({ code: 4200 });
});
