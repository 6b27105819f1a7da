// Tencent's CVM SDK against real guests: RunInstances with a CVM key pair → RUNNING → SSH with
// the CVM private key; ResetInstancesType with the new size seen in the guest; TerminateInstances
// → gone. And one instance through both APIs: created via JD, stopped via CVM, deleted via JD.
import { jest } from '@jest/globals';
import { clientFor } from '../../support/kumod.js';
import { cvmClient } from '../../support/cvm-sdk.js';
import {
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  tinyInstance,
  waitSsh,
  waitStatus,
  type GuestCloud,
} from './support.js';

jest.setTimeout(15 * 60_000);

let cloud: GuestCloud;

beforeAll(async () => {
  cloud = await startGuestCloud('kcvm', '10.247');
});

afterAll(async () => {
  await cloud?.cleanup();
});

type Cvm = ReturnType<typeof cvmClient>;

/** Polls DescribeInstances until the state is `want` ('GONE' once the instance is no more). */
async function waitState(cvm: Cvm, id: string, want: string, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    // Filters, not InstanceIds: the lifecycle calls send {InstanceIds}, and Tencent's Node SDK
    // does not sign the action, so a read must not share a write's body in the same second.
    const r = await cvm.DescribeInstances({ Filters: [{ Name: 'instance-id', Values: [id] }] });
    const state = r.InstanceSet?.[0]?.InstanceState ?? 'GONE';
    if (seen[seen.length - 1] !== state) seen.push(state);
    if (state === want) return seen;
    if (state === 'LAUNCH_FAILED') throw new Error(`${id} failed: ${seen.join(' → ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${id} did not reach ${want}; seen ${seen.join(' → ')}`);
}

test('RunInstances with a key pair → SSH → ResetInstancesType → TerminateInstances', async () => {
  const keys = await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'cvm-guest' },
  });
  const cvm = cvmClient(cloud.kumod.endpoint, keys);
  const zones = await cvm.DescribeZones(null);
  expect(zones.ZoneSet?.map((z) => z.Zone)).toEqual(['local-1a']);
  const images = await cvm.DescribeImages({ ImageIds: [cloud.images.tiny] });
  expect(images.ImageSet?.[0]).toMatchObject({ ImageId: cloud.images.tiny, ImageType: 'PUBLIC_IMAGE' });
  const kp = await cvm.CreateKeyPair({ KeyName: 'cvmkey', ProjectId: 0 });
  const key = opensshPrivateKey(kp.KeyPair!.PrivateKey!);

  const run = await cvm.RunInstances({
    Placement: { Zone: 'local-1a' },
    ImageId: cloud.images.tiny,
    InstanceType: 't.n1.nano',
    InstanceName: 'cvm-1',
    LoginSettings: { KeyIds: ['skey-cvmkey'] },
    SystemDisk: { DiskType: 'LOCAL_BASIC' },
  });
  const id = run.InstanceIdSet![0]!;
  expect(id).toMatch(/^ins-[a-z0-9]{12}$/);
  expect((await waitState(cvm, id, 'RUNNING', 180_000))[0]).toBe('PENDING');
  const inst = (await cvm.DescribeInstances({ InstanceIds: [id] })).InstanceSet![0]!;
  expect(inst).toMatchObject({ InstanceName: 'cvm-1', CPU: 1, LoginSettings: { KeyIds: ['skey-cvmkey'] } });
  const ip = inst.PrivateIpAddresses![0]!;
  await waitSsh(ip, 'root', key, 180_000);
  const sh = (cmd: string) => sshExec(ip, 'root', key, cmd, 15_000).then((s) => s.trim());
  expect(await sh('grep -c ^processor /proc/cpuinfo')).toBe('1');

  await cvm.StopInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'STOPPED', 120_000);
  await cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: 't.n1.medium' });
  await new Promise((r) => setTimeout(r, 1100));
  await waitState(cvm, id, 'STOPPED', 120_000);
  // The resize is done once no operation is in flight.
  for (let i = 0; i < 240; i++) {
    const now = (await cvm.DescribeInstances({ Filters: [{ Name: 'instance-id', Values: [id] }], Offset: i }))
      .InstanceSet![0]!;
    if (now.LatestOperationState === null && now.CPU === 2) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await cvm.StartInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'RUNNING', 120_000);
  await waitSsh(ip, 'root', key, 180_000);
  expect(await sh('grep -c ^processor /proc/cpuinfo')).toBe('2');

  await new Promise((r) => setTimeout(r, 1100));
  await cvm.TerminateInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'GONE', 120_000);
});

test('one instance through both APIs: created via JD, stopped via CVM, deleted via JD', async () => {
  const keys = await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'cvm-cross' },
  });
  const jd = clientFor(cloud.kumod.endpoint, keys);
  const created = await jd.createInstances(tinyInstance(cloud, 'both-1'));
  const jdId = created.instanceIds[0]!;
  await waitStatus(jd, jdId, 'running', 180_000);
  const cvm = cvmClient(cloud.kumod.endpoint, keys);
  const cvmId = `ins-${jdId.slice(2)}`;
  expect((await cvm.DescribeInstancesStatus({ InstanceIds: [cvmId] })).InstanceStatusSet).toEqual([
    { InstanceId: cvmId, InstanceState: 'RUNNING' },
  ]);
  await new Promise((r) => setTimeout(r, 1100));
  await cvm.StopInstances({ InstanceIds: [cvmId] });
  await waitStatus(jd, jdId, 'stopped', 120_000);
  await jd.deleteInstance(jdId);
  await waitStatus(jd, jdId, 'deleted', 120_000);
  await expect(cvm.DescribeInstances({ InstanceIds: [cvmId] })).resolves.toMatchObject({ TotalCount: 0 });
});
