// Tencent's CBS API (2017-03-12) on `POST /`, driven by Tencent's official CBS SDK client over
// Kumo's disk service, in a kumod without hosts: the empty lists and their paging, every action's
// refusals in Tencent's codes (bad, unknown and other accounts' ids; an AZ without storage; what
// Kumo does not sell), and nothing created by a refused call. Disks that exist need a host for
// their storage: their lifecycle runs where hosts do (the guest tier).
import { startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { codeOf, type Keys } from '../support/cvm-sdk.js';
import { createAccount } from '../support/vpc-sdk.js';
import { cbsClient } from '../support/tencent-sdk.js';

let env: TestKumod;
let keys: Keys;
let tc: ReturnType<typeof cbsClient>;

beforeAll(async () => {
  env = await startKumodOnTestDatabase();
  keys = await createAccount(env, 'tc-cbs-user');
  tc = cbsClient(env.endpoint, keys);
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

const AZ = 'local-1a';
/** Waits for the next second, so a write may repeat an earlier body (see tencent-vpc.test.ts). */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));

test('lists: empty, paged, filtered, with Tencent limits and filter names', async () => {
  await expect(tc.DescribeDisks({})).resolves.toMatchObject({ TotalCount: 0, DiskSet: [] });
  await expect(
    tc.DescribeDisks({ Offset: 0, Limit: 100, Filters: [{ Name: 'zone', Values: [AZ] }] }),
  ).resolves.toMatchObject({ TotalCount: 0 });
  await expect(tc.DescribeSnapshots({})).resolves.toMatchObject({ TotalCount: 0, SnapshotSet: [] });
  expect(await codeOf(tc.DescribeDisks({ Limit: 101 }))).toBe('InvalidParameterValue.LimitExceeded');
  expect(await codeOf(tc.DescribeSnapshots({ Filters: [{ Name: 'colour', Values: ['x'] }] }))).toBe(
    'InvalidFilter',
  );
  expect(await codeOf(tc.DescribeDisks({ DiskIds: ['vol-0000000000'] }))).toBe('InvalidParameterValue');
  expect((await tc.DescribeDisks({ DiskIds: ['disk-0000000000'] })).TotalCount).toBe(0);
  expect(
    await codeOf(
      tc.DescribeDisks({ DiskIds: ['disk-0000000000'], Filters: [{ Name: 'zone', Values: [AZ] }] }),
    ),
  ).toBe('InvalidParameterCombination');
});

test('CreateDisks refusals: no storage in the AZ, unknown types, prepaid, sizes; nothing is made', async () => {
  const create = (over: object) =>
    codeOf(
      tc.CreateDisks({
        Placement: { Zone: AZ },
        DiskChargeType: 'POSTPAID_BY_HOUR',
        DiskType: 'CLOUD_SSD',
        DiskSize: 20,
        ...over,
      }),
    );
  expect(await create({})).toBe('ResourceInsufficient');
  expect(await create({ DiskType: 'CLOUD_GOLD' })).toBe('InvalidParameterValue');
  expect(await create({ DiskChargeType: 'PREPAID' })).toBe('UnsupportedOperation');
  expect(await create({ DiskSize: 25 })).toBe('InvalidParameterValue');
  expect(await create({ DiskSize: undefined })).toBe('MissingParameter');
  expect(await create({ SnapshotId: 'snap-0000000000', DiskSize: undefined })).toBe(
    'InvalidSnapshotId.NotFound',
  );
  expect(await create({ SnapshotId: 'snapshot-1' })).toBe('InvalidParameterValue');
  expect((await tc.DescribeDisks({})).TotalCount).toBe(0);
});

test('actions on disks and snapshots that are not the caller’s: not found, malformed, nothing changed', async () => {
  const unknown = 'disk-0000000000';
  await nextSecond();
  expect(await codeOf(tc.TerminateDisks({ DiskIds: [unknown] }))).toBe('InvalidDiskId.NotFound');
  expect(await codeOf(tc.TerminateDisks({ DiskIds: [] }))).toBe('MissingParameter');
  expect(await codeOf(tc.ResizeDisk({ DiskId: unknown, DiskSize: 40 }))).toBe('InvalidDiskId.NotFound');
  expect(await codeOf(tc.ResizeDisk({ DiskId: 'disk-x', DiskSize: 40 }))).toBe('InvalidParameterValue');
  await nextSecond();
  expect(await codeOf(tc.DetachDisks({ DiskIds: [unknown] }))).toBe('InvalidDiskId.NotFound');
  expect(await codeOf(tc.AttachDisks({ InstanceId: 'ins-000000000000', DiskIds: [unknown] }))).toBe(
    'InvalidInstanceId.NotFound',
  );
  expect(await codeOf(tc.AttachDisks({ InstanceId: 'i-000000000000', DiskIds: [unknown] }))).toBe(
    'InvalidInstanceId.Malformed',
  );
  expect(await codeOf(tc.CreateSnapshot({ DiskId: unknown }))).toBe('InvalidDiskId.NotFound');
  expect(await codeOf(tc.CreateSnapshot({}))).toBe('MissingParameter');
  expect(await codeOf(tc.DeleteSnapshots({ SnapshotIds: ['snap-0000000000'] }))).toBe(
    'InvalidSnapshotId.NotFound',
  );
  expect(await codeOf(tc.DeleteSnapshots({ SnapshotIds: ['snap-1'] }))).toBe('InvalidParameterValue');
  expect((await tc.DescribeSnapshots({})).TotalCount).toBe(0);
});
