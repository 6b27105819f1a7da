// The CVM API 3.0 front end driven by Tencent's official Node SDK (and raw TC3 requests for what
// the SDK cannot send): regions, zones, key pairs, instance queries, Tencent's error codes with
// HTTP 200, signatures, timestamps, replays, and one rate budget shared with the JD API by two
// kumods on one database. Instances themselves boot in test/guest/api/cvm.test.ts.
import { KumoApiError, type KumoClient } from '@kumo/client';
import {
  clientFor,
  startKumod,
  startKumodOnTestDatabase,
  removeDataDir,
  type KumodProcess,
  type TestKumod,
} from '../support/kumod.js';
import { codeOf, cvmClient, rawCvm, type Keys } from '../support/cvm-sdk.js';
import { v2Client } from '../support/qcloud-v2.js';

let a: TestKumod;
let b: KumodProcess;
let keys: Keys;
let jd: KumoClient;

// The per-operation budget is lowered so the shared-budget test reaches it in a few calls.
const TYPE = 't.n1.small';
const ENV = { KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '30' };

beforeAll(async () => {
  a = await startKumodOnTestDatabase(ENV);
  b = await startKumod({ DATABASE_URL: a.dbUrl, ...ENV }, { adminCredentials: a.credentials });
  keys = await newKeys('cvm-user');
  jd = clientFor(a.endpoint, keys);
}, 90_000);

afterAll(async () => {
  await b?.stop();
  if (b) removeDataDir(b.dataDir);
  await a?.cleanup();
});

async function newKeys(name: string): Promise<Keys> {
  return a.admin().adminRequest<Keys>('POST', '/accounts', { body: { name } });
}

test('regions and zones: the configured region, no zone until a host is registered', async () => {
  const cvm = cvmClient(a.endpoint, keys);
  const regions = await cvm.DescribeRegions(null);
  expect(regions.RegionSet?.map((r) => r.Region)).toContain('local-1');
  expect(regions.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(cvm.DescribeZones(null)).resolves.toMatchObject({ TotalCount: 0, ZoneSet: [] });
  await expect(cvm.DescribeZoneInstanceConfigInfos({})).resolves.toMatchObject({ InstanceTypeQuotaSet: [] });
});

test('key pairs: create, import, page, filter, seen by JD, delete all-or-nothing', async () => {
  const cvm = cvmClient(a.endpoint, keys);
  const created = await cvm.CreateKeyPair({ KeyName: 'k1', ProjectId: 0 });
  expect(created.KeyPair).toMatchObject({ KeyId: 'skey-k1', KeyName: 'k1' });
  expect(created.KeyPair?.PrivateKey).toMatch(/^-----BEGIN/);
  expect(created.KeyPair?.PublicKey).toMatch(/^ssh-rsa /);
  const imported = await cvm.ImportKeyPair({
    KeyName: 'k2',
    ProjectId: 0,
    PublicKey: created.KeyPair!.PublicKey!,
  });
  expect(imported.KeyId).toBe('skey-k2');
  expect(
    await codeOf(cvm.ImportKeyPair({ KeyName: 'k1', ProjectId: 0, PublicKey: created.KeyPair!.PublicKey! })),
  ).toBe('InvalidKeyPairName.Duplicate');

  const all = await cvm.DescribeKeyPairs({});
  expect([all.TotalCount, all.KeyPairSet?.map((k) => k.KeyId)]).toEqual([2, ['skey-k1', 'skey-k2']]);
  const second = await cvm.DescribeKeyPairs({ Offset: 1, Limit: 1 });
  expect(second.KeyPairSet?.map((k) => k.KeyName)).toEqual(['k2']);
  const byName = await cvm.DescribeKeyPairs({ Filters: [{ Name: 'key-name', Values: ['k2'] }] });
  expect(byName.KeyPairSet?.map((k) => k.KeyId)).toEqual(['skey-k2']);
  // The same rows through the JD API.
  expect((await jd.describeKeypairs()).keypairs.map((k) => k.keyName)).toEqual(['k1', 'k2']);

  // Another account's ids are not found, never touched.
  const stranger = cvmClient(a.endpoint, await newKeys('cvm-stranger'));
  expect(await codeOf(stranger.DeleteKeyPairs({ KeyIds: ['skey-k1'] }))).toBe('InvalidKeyPairId.NotFound');
  expect((await stranger.DescribeKeyPairs({ KeyIds: ['skey-k1'] })).TotalCount).toBe(0);
  expect(await codeOf(cvm.DeleteKeyPairs({ KeyIds: ['skey-k1', 'skey-nope'] }))).toBe(
    'InvalidKeyPairId.NotFound',
  );
  expect(await codeOf(cvm.DeleteKeyPairs({ KeyIds: ['bad id'] }))).toBe('InvalidKeyPairId.Malformed');
  expect((await cvm.DescribeKeyPairs({ Limit: 50 })).TotalCount).toBe(2);
  await cvm.DeleteKeyPairs({ KeyIds: ['skey-k1', 'skey-k2'] });
  expect((await jd.describeKeypairs()).totalCount).toBe(0);

  // The audit trail has the CVM changes, accepted and refused, and none of the Describe calls.
  let ops: string[] = [];
  for (let i = 0; i < 100 && !ops.includes('cvm:DeleteKeyPairs'); i++) {
    const page = await jd.request<{ entries: { operation: string; errorStatus?: string }[] }>(
      'GET',
      '/v1/auditLog',
      {
        query: { pageSize: 100 },
      },
    );
    ops = page.entries.map((e) => e.operation);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(ops).toEqual(
    expect.arrayContaining(['cvm:CreateKeyPair', 'cvm:ImportKeyPair', 'cvm:DeleteKeyPairs']),
  );
  expect(ops.filter((o) => o.startsWith('cvm:Describe'))).toEqual([]);
});

test('instance queries and lifecycle calls on bad ids: Tencent codes, nothing changes', async () => {
  const cvm = cvmClient(a.endpoint, keys);
  await expect(cvm.DescribeInstances({})).resolves.toMatchObject({ TotalCount: 0, InstanceSet: [] });
  await expect(cvm.DescribeInstances({ InstanceIds: ['ins-000000000000'] })).resolves.toMatchObject({
    TotalCount: 0,
  });
  expect(await codeOf(cvm.DescribeInstances({ InstanceIds: ['i-abc'] }))).toBe('InvalidInstanceId.Malformed');
  expect(await codeOf(cvm.DescribeInstances({ Limit: 101 }))).toBe('InvalidParameterValue.LimitExceeded');
  expect(await codeOf(cvm.DescribeInstances({ Filters: [{ Name: 'color', Values: ['red'] }] }))).toBe(
    'InvalidFilter',
  );
  expect(
    await codeOf(
      cvm.DescribeInstances({
        InstanceIds: ['ins-000000000000'],
        Filters: [{ Name: 'zone', Values: ['z'] }],
      }),
    ),
  ).toBe('InvalidParameterCombination');
  // Bodies differ from the reads above: Tencent's Node SDK does not sign the action, so a write
  // may not reuse a read's signature (same body in the same second); see auth/tc3.ts.
  for (const call of [
    () => cvm.StopInstances({ InstanceIds: ['ins-000000000010'] }),
    () => cvm.StartInstances({ InstanceIds: ['ins-000000000001'] }),
    () => cvm.RebootInstances({ InstanceIds: ['ins-000000000002'] }),
    () => cvm.TerminateInstances({ InstanceIds: ['ins-000000000003'] }),
    () => cvm.ResetInstancesType({ InstanceIds: ['ins-000000000004'], InstanceType: 'x' }),
    () => cvm.ResetInstance({ InstanceId: 'ins-000000000005' }),
  ]) {
    expect(await codeOf(call())).toBe('InvalidInstanceId.NotFound');
  }
  expect(await codeOf(cvm.TerminateInstances({ InstanceIds: ['vm-1'] }))).toBe('InvalidInstanceId.Malformed');
  const run = { Placement: { Zone: 'local-1a' }, ImageId: 'img-000000000000', InstanceType: TYPE };
  expect(await codeOf(cvm.RunInstances(run))).toBe('InvalidImageId.NotFound');
  expect(await codeOf(cvm.RunInstances({ ...run, InstanceType: 'no.such' }))).toBe(
    'InvalidInstanceType.Malformed',
  );
  expect(await codeOf(cvm.RunInstances({ ...run, InstanceCount: 0 }))).toBe('InvalidParameterValue');
  expect(await codeOf(cvm.RunInstances({ ...run, DataDisks: [{ DiskSize: 50 }] }))).toBe(
    'UnsupportedOperation',
  );
  expect((await cvm.DescribeInstances({})).TotalCount).toBe(0);
  expect((await jd.describeInstances()).totalCount).toBe(0);
});

test('bad requests: each gets its Tencent code with HTTP 200, never a 5xx', async () => {
  const ok = '{"Limit":1}';
  const cases: [string, Promise<Awaited<ReturnType<typeof rawCvm>>>][] = [
    ['InvalidAction', rawCvm(a.endpoint, keys, 'LaunchMissiles', ok)],
    [
      'NoSuchVersion',
      rawCvm(a.endpoint, keys, 'DescribeInstances', '{"Limit":2}', { version: '2099-01-01' }),
    ],
    ['UnsupportedRegion', rawCvm(a.endpoint, keys, 'DescribeInstances', '{"Limit":3}', { region: 'mars-1' })],
    [
      'AuthFailure.SignatureFailure',
      rawCvm(a.endpoint, keys, 'DescribeInstances', ok, { secretKey: 'wrong' }),
    ],
    [
      'AuthFailure.SignatureFailure',
      rawCvm(a.endpoint, { ...keys, accessKey: 'AKIDUNKNOWN' }, 'DescribeInstances', ok),
    ],
    [
      'AuthFailure.SignatureFailure',
      rawCvm(a.endpoint, keys, 'DescribeInstances', '{"Limit":100}', { signedBody: '{"Limit":4}' }),
    ],
    [
      'AuthFailure.SignatureExpire',
      rawCvm(a.endpoint, keys, 'DescribeInstances', ok, {
        timestampSeconds: Math.floor(Date.now() / 1000) - 3600,
      }),
    ],
    [
      'AuthFailure.InvalidAuthorization',
      rawCvm(a.endpoint, keys, 'DescribeInstances', ok, { authorization: 'TC3 x' }),
    ],
    ['InvalidParameter', rawCvm(a.endpoint, keys, 'DescribeInstances', '{"Colour":"red"}')],
    ['InvalidParameter', rawCvm(a.endpoint, keys, 'DescribeInstances', '{"Limit":')],
    ['InvalidParameterValue', rawCvm(a.endpoint, keys, 'DescribeInstances', '{"Limit":"ten"}')],
    ['MissingParameter', rawCvm(a.endpoint, keys, 'StopInstances', '{"ForceStop":true}')],
  ];
  for (const [code, p] of cases) {
    const r = await p;
    expect([r.status, r.json.Response.Error?.Code]).toEqual([200, code]);
    expect(r.json.Response.RequestId).toEqual(expect.any(String));
  }
});

test('a signature serves reads, and one write at most: never a second write, never a read turned write', async () => {
  const ts = Math.floor(Date.now() / 1000);
  const body = '{"InstanceIds":["ins-000000000777"]}';
  const read = () => rawCvm(a.endpoint, keys, 'DescribeInstancesStatus', body, { timestampSeconds: ts });
  expect((await read()).json.Response).toMatchObject({ TotalCount: 0 });
  // A repeated read is harmless and allowed (Tencent's timestamps have one-second resolution).
  expect(
    (await rawCvm(b.endpoint, keys, 'DescribeInstancesStatus', body, { timestampSeconds: ts })).json.Response,
  ).toMatchObject({ TotalCount: 0 });
  // The action header is not signed: the read's signature must not work for a write.
  const swapped = await rawCvm(a.endpoint, keys, 'TerminateInstances', body, { timestampSeconds: ts });
  expect(swapped.json.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  expect(swapped.json.Response.Error?.Message).toMatch(/replay/);

  const del = '{"KeyIds":["skey-nope"]}';
  const write = (endpoint: string, action = 'DeleteKeyPairs') =>
    rawCvm(endpoint, keys, action, del, { timestampSeconds: ts });
  expect((await write(a.endpoint)).json.Response.Error?.Code).toBe('InvalidKeyPairId.NotFound');
  const again = await write(b.endpoint);
  expect(again.json.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  expect(again.json.Response.Error?.Message).toMatch(/replay/);
  // A read may follow with the same signature: it changes nothing.
  expect((await write(a.endpoint, 'DescribeKeyPairs')).json.Response).toMatchObject({ TotalCount: 0 });
});

test('one budget per operation across JD, CVM 3.0 and 2.0 and both kumods', async () => {
  const k = await newKeys('cvm-budget');
  const viaJd = clientFor(a.endpoint, k);
  const viaCvm = cvmClient(b.endpoint, k);
  const viaV2 = v2Client(a.endpoint, k);
  // 10 calls of each API share describeKeypairs' 30 per minute.
  for (let i = 0; i < 10; i++) await viaJd.describeKeypairs();
  for (let i = 0; i < 10; i++) await viaCvm.DescribeKeyPairs({ Offset: i });
  for (let i = 0; i < 10; i++)
    expect(await viaV2.call('DescribeKeyPairs', { offset: i })).toMatchObject({ code: 0 });
  expect(await codeOf(viaCvm.DescribeKeyPairs({ Offset: 99 }))).toBe('RequestLimitExceeded');
  expect(await viaV2.call('DescribeKeyPairs', { offset: 99 })).toMatchObject({
    code: 4400,
    codeDesc: 'RequestLimitExceeded',
  });
  const jdRefused = await viaJd.describeKeypairs().then(
    () => undefined,
    (e: unknown) => e as KumoApiError,
  );
  expect([jdRefused?.httpStatus, jdRefused?.status]).toEqual([429, 'RATE_LIMIT']);
  // Another operation still has its own budget.
  await expect(viaCvm.DescribeInstances({})).resolves.toMatchObject({ TotalCount: 0 });
}, 60_000);

const ACTIONS = [
  'DescribeRegions',
  'DescribeZones',
  'DescribeZoneInstanceConfigInfos',
  'DescribeInstanceTypeConfigs',
  'DescribeImages',
  'ModifyImageAttribute',
  'DeleteImages',
  'CreateKeyPair',
  'ImportKeyPair',
  'DescribeKeyPairs',
  'DeleteKeyPairs',
  'AssociateInstancesKeyPairs',
  'DisassociateInstancesKeyPairs',
  'RunInstances',
  'DescribeInstances',
  'DescribeInstancesStatus',
  'StartInstances',
  'StopInstances',
  'RebootInstances',
  'TerminateInstances',
  'ResetInstance',
  'ResetInstancesType',
  'ResetInstancesPassword',
  'ModifyInstancesAttribute',
  'DescribeInstanceVncUrl',
];
const HOSTILE = [
  '[]',
  '"x"',
  '0',
  '{"InstanceIds":"ins-000000000000"}',
  '{"InstanceIds":[1,2]}',
  '{"KeyIds":[null]}',
  '{"Filters":[{"Name":"zone"}]}',
  '{"Limit":-1}',
  '{"Offset":1e99}',
  '{"ImageId":{"a":1}}',
  '{"KeyName":"../../etc","ProjectId":0,"PublicKey":"ssh-rsa AAAA"}',
  '{"InstanceName":"' + 'x'.repeat(200) + '"}',
  '{"Placement":{"Zone":"local-1a"},"ImageId":"img-000000000000","InstanceType":"t.n1.nano","UserData":"%%%"}',
  '{"InstanceIds":["ins-000000000000"],"Password":"short"}',
  '{"a":"\\u0000"}',
];

test('hostile parameters for every action: a Tencent error, never InternalError, nothing created', async () => {
  const k = await newKeys('cvm-hostile');
  const now = Math.floor(Date.now() / 1000);
  for (const [n, action] of ACTIONS.entries()) {
    for (const body of HOSTILE) {
      // One timestamp per action: a signature serves one write, and the bodies repeat across actions.
      const r = await rawCvm(a.endpoint, k, action, body, { timestampSeconds: now - n });
      expect([action, body, r.status, r.json.Response.Error?.Code ?? 'no error']).toEqual([
        action,
        body,
        200,
        expect.not.stringMatching(/^(InternalError|no error|AuthFailure.*)$/),
      ]);
    }
  }
  const cvm = cvmClient(a.endpoint, k);
  expect((await cvm.DescribeInstances({})).TotalCount).toBe(0);
  expect((await cvm.DescribeKeyPairs({})).TotalCount).toBe(0);
}, 120_000);
