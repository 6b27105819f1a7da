// Tencent's CVM SDK against real guests: RunInstances with a CVM key pair → RUNNING → SSH with
// the CVM private key; ResetInstancesType with the new size seen in the guest; TerminateInstances
// → gone (with Reboot and ResetInstance on the way). And one instance through all three APIs: created
// via JD, stopped via CVM 3.0, started via API 2.0 (qcloudapi-sdk), deleted via JD, one quota. And
// Tencent VPC's AttachNetworkInterface / DetachNetworkInterface on a running guest.
import { jest } from '@jest/globals';
import { clientFor } from '../../support/kumod.js';
import { codeOf, cvmClient } from '../../support/cvm-sdk.js';
import { v2Client } from '../../support/qcloud-v2.js';
import { vpcClient } from '../../support/tencent-sdk.js';
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
  // One instance per account: the quota is counted once across both APIs (the cross-API test).
  cloud = await startGuestCloud('kcvm', '10.217', { env: { KUMO_QUOTA_INSTANCE: '1' } });
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

/** One instance, asked with Filters rather than the {InstanceIds} body the lifecycle calls send. */
async function describe(cvm: Cvm, id: string) {
  const r = await cvm.DescribeInstances({ Filters: [{ Name: 'instance-id', Values: [id] }] });
  return r.InstanceSet![0]!;
}

/** Waits until no operation is in flight (a resize or reset runs while the state stays STOPPED). */
async function waitIdle(cvm: Cvm, id: string): Promise<void> {
  for (let i = 0; i < 480; i++) {
    const r = await cvm.DescribeInstances({ Filters: [{ Name: 'instance-id', Values: [id] }], Offset: 0 });
    const inst = r.InstanceSet![0]!;
    if (inst.LatestOperationState === 'FAILED')
      throw new Error(`${id} failed: ${inst.LatestOperationErrorMsg}`);
    if (inst.LatestOperationState === null) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${id} stayed busy`);
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
    // A public IP (an elastic IP released with the instance): how the test, outside, reaches it.
    InternetAccessible: { PublicIpAssigned: true, InternetMaxBandwidthOut: 100 },
  });
  const id = run.InstanceIdSet![0]!;
  expect(id).toMatch(/^ins-[a-z0-9]{12}$/);
  expect((await waitState(cvm, id, 'RUNNING', 180_000))[0]).toBe('PENDING');
  const inst = await describe(cvm, id);
  expect(inst).toMatchObject({ InstanceName: 'cvm-1', CPU: 1, LoginSettings: { KeyIds: ['skey-cvmkey'] } });
  expect(inst.PrivateIpAddresses![0]).toMatch(/^10\.217\./);
  expect(inst.InternetAccessible).toMatchObject({ PublicIpAssigned: true, InternetMaxBandwidthOut: 100 });
  const ip = inst.PublicIpAddresses![0]!;
  await waitSsh(ip, 'root', key, 180_000);
  const sh = (cmd: string) => sshExec(ip, 'root', key, cmd, 15_000).then((s) => s.trim());
  expect(await sh('grep -c ^processor /proc/cpuinfo')).toBe('1');
  const bootBefore = await sh('cat /proc/sys/kernel/random/boot_id');

  await cvm.RebootInstances({ InstanceIds: [id] });
  expect(await waitState(cvm, id, 'RUNNING', 120_000)).toContain('REBOOTING');
  await waitSsh(ip, 'root', key, 180_000);
  expect(await sh('cat /proc/sys/kernel/random/boot_id')).not.toBe(bootBefore);

  await cvm.StopInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'STOPPED', 120_000);
  await cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: 't.n1.medium' });
  await new Promise((r) => setTimeout(r, 1100));
  await waitIdle(cvm, id);
  expect(await describe(cvm, id)).toMatchObject({
    InstanceType: 't.n1.medium',
    CPU: 2,
    Memory: 2,
  });

  // CreateImage of the stopped instance: CREATING, then NORMAL; shared with another account by
  // name and the share listed with its time, then cancelled; SyncImages to a region this
  // installation does not serve is refused.
  await cloud.admin.adminRequest('POST', '/accounts', { body: { name: 'cvm-member' } });
  const { ImageId: imageId } = await cvm.CreateImage({ InstanceId: id, ImageName: 'cvm-img' });
  const states: string[] = [];
  for (const deadline = Date.now() + 240_000; Date.now() < deadline;) {
    const state = (await cvm.DescribeImages({ ImageIds: [imageId!] })).ImageSet?.[0]?.ImageState ?? '';
    if (states.at(-1) !== state) states.push(state);
    if (state === 'NORMAL' || state === 'CREATEFAILED') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(states).toEqual(['CREATING', 'NORMAL']);
  await cvm.ModifyImageSharePermission({
    ImageId: imageId!,
    AccountIds: ['cvm-member'],
    Permission: 'SHARE',
  });
  const shared = await cvm.DescribeImageSharePermission({ ImageId: imageId! });
  expect(shared.SharePermissionSet).toEqual([
    { AccountId: 'cvm-member', CreatedTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
  ]);
  await cvm.ModifyImageSharePermission({
    ImageId: imageId!,
    AccountIds: ['cvm-member'],
    Permission: 'CANCEL',
  });
  expect((await cvm.DescribeImageSharePermission({ ImageId: imageId! })).SharePermissionSet).toEqual([]);
  await expect(cvm.SyncImages({ ImageIds: [imageId!], DestinationRegions: ['nowhere-9'] })).rejects.toThrow();
  // DeleteImages' body is the DescribeImages poll's: a second apart, or it would be the same
  // signature, which a write may not reuse (the replay rule in README).
  await new Promise((r) => setTimeout(r, 1100));
  await cvm.DeleteImages({ ImageIds: [imageId!] });
  await cvm.StartInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'RUNNING', 120_000);
  await waitSsh(ip, 'root', key, 180_000);
  expect(await sh('grep -c ^processor /proc/cpuinfo')).toBe('2');

  // ResetInstance with another key pair: a new root disk that only the new key opens.
  const kp2 = await cvm.CreateKeyPair({ KeyName: 'cvmkey2', ProjectId: 0 });
  const key2 = opensshPrivateKey(kp2.KeyPair!.PrivateKey!);
  await sh('touch /root/before-reset');
  await new Promise((r) => setTimeout(r, 1100));
  await cvm.StopInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'STOPPED', 120_000);
  await cvm.ResetInstance({ InstanceId: id, LoginSettings: { KeyIds: ['skey-cvmkey2'] } });
  await waitIdle(cvm, id);
  await cvm.StartInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'RUNNING', 120_000);
  await waitSsh(ip, 'root', key2, 180_000);
  expect(await sshExec(ip, 'root', key2, 'ls /root/before-reset 2>&1 || true', 15_000)).toMatch(
    /No such file/,
  );
  expect((await describe(cvm, id)).LoginSettings).toEqual({
    KeyIds: ['skey-cvmkey2'],
  });

  // AssociateInstancesKeyPairs on the running instance with ForceStop: powered off, the first key
  // in place of the second (Tencent: the old key stops working); at the next start only it opens
  // the guest (the tiny image's root is in memory; debian.test.ts checks that the disk is kept).
  // Without ForceStop a running instance is refused.
  expect(await codeOf(cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: ['skey-cvmkey'] }))).toBe(
    'UnsupportedOperation.InstanceStateRunning',
  );
  expect(
    await codeOf(
      cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: ['skey-nosuchkey'], ForceStop: true }),
    ),
  ).toBe('InvalidKeyPairId.NotFound');
  await new Promise((r) => setTimeout(r, 1100));
  await cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: ['skey-cvmkey'], ForceStop: true });
  await waitState(cvm, id, 'STOPPED', 120_000);
  await waitIdle(cvm, id);
  expect((await describe(cvm, id)).LoginSettings).toEqual({ KeyIds: ['skey-cvmkey'] });
  await cvm.StartInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'RUNNING', 120_000);
  await waitSsh(ip, 'root', key, 180_000);
  await expect(sshExec(ip, 'root', key2, 'true', 15_000)).rejects.toThrow();

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
  // Another account's CVM client does not find it, and changes nothing.
  const stranger = cvmClient(
    cloud.kumod.endpoint,
    await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
      body: { name: 'cvm-stranger' },
    }),
  );
  expect(await codeOf(stranger.StopInstances({ InstanceIds: [cvmId] }))).toBe('InvalidInstanceId.NotFound');
  expect((await jd.describeInstance(jdId)).instance.status).toBe('running');
  // The account's one instance is taken, whichever API asks.
  expect(
    await codeOf(
      cvm.RunInstances({
        Placement: { Zone: 'local-1a' },
        ImageId: cloud.images.tiny,
        InstanceType: 't.n1.nano',
      }),
    ),
  ).toBe('LimitExceeded.InstanceQuota');
  await new Promise((r) => setTimeout(r, 1100));
  await cvm.StopInstances({ InstanceIds: [cvmId] });
  await waitStatus(jd, jdId, 'stopped', 120_000);

  // API 2.0 through Tencent's legacy SDK on the same instance: a list query and a lifecycle action.
  const v2 = v2Client(cloud.kumod.endpoint, keys);
  const listed = await v2.call('DescribeInstances', { 'instanceIds.0': cvmId, offset: 0, limit: 10 });
  expect(listed).toMatchObject({ code: 0, totalCount: 1, instanceSet: [{ instanceId: cvmId, status: 4 }] });
  expect(await v2.call('StartInstances', { instanceIds: [cvmId] })).toMatchObject({ code: 0 });
  await waitStatus(jd, jdId, 'running', 120_000);
  expect(await v2.call('DescribeInstances', { 'instanceIds.0': cvmId })).toMatchObject({
    instanceSet: [{ status: 2 }],
  });

  await jd.deleteInstance(jdId);
  await waitStatus(jd, jdId, 'deleted', 120_000);
  await expect(cvm.DescribeInstances({ InstanceIds: [cvmId] })).resolves.toMatchObject({ TotalCount: 0 });
});

test('Tencent VPC: AttachNetworkInterface hot-plugs an ENI into the running guest, DetachNetworkInterface takes it out', async () => {
  const keys = await cloud.admin.adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'cvm-eni' },
  });
  const cvm = cvmClient(cloud.kumod.endpoint, keys);
  const vpc = vpcClient(cloud.kumod.endpoint, keys);
  const kp = await cvm.CreateKeyPair({ KeyName: 'enikey', ProjectId: 0 });
  const key = opensshPrivateKey(kp.KeyPair!.PrivateKey!);
  const run = await cvm.RunInstances({
    Placement: { Zone: 'local-1a' },
    ImageId: cloud.images.tiny,
    // t.n1.small allows two interfaces (the nano type one).
    InstanceType: 't.n1.small',
    InstanceName: 'cvm-eni',
    LoginSettings: { KeyIds: ['skey-enikey'] },
    InternetAccessible: { PublicIpAssigned: true, InternetMaxBandwidthOut: 100 },
  });
  const id = run.InstanceIdSet![0]!;
  await waitState(cvm, id, 'RUNNING', 180_000);
  const inst = await describe(cvm, id);
  const ip = inst.PublicIpAddresses![0]!;
  await waitSsh(ip, 'root', key, 180_000);
  const sh = (cmd: string) => sshExec(ip, 'root', key, cmd, 15_000).then((s) => s.trim());
  const macs = () => sh('cat /sys/class/net/*/address');

  const made = await vpc.CreateNetworkInterface({
    VpcId: inst.VirtualPrivateCloud!.VpcId,
    SubnetId: inst.VirtualPrivateCloud!.SubnetId,
    NetworkInterfaceName: 'eni-2',
  });
  const eni = made.NetworkInterface!;
  const mac = eni.MacAddress!.toLowerCase();
  expect(await macs()).not.toContain(mac);
  /** Polls the ENI until its state and attachment are as wanted. */
  const eniIs = async (state: string, attachedTo: string | undefined) => {
    for (let i = 0; i < 300; i++) {
      const r = await vpc.DescribeNetworkInterfaces({
        Filters: [{ Name: 'network-interface-id', Values: [eni.NetworkInterfaceId!] }],
      });
      const n = r.NetworkInterfaceSet![0]!;
      if (n.State === state && n.Attachment?.InstanceId === attachedTo) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`ENI ${eni.NetworkInterfaceId} never ${state} on ${attachedTo}`);
  };

  await vpc.AttachNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId!, InstanceId: id });
  await eniIs('AVAILABLE', id);
  // The guest kernel has the new virtio NIC, with the ENI's MAC.
  for (let i = 0; i < 50 && !(await macs()).includes(mac); i++) await new Promise((r) => setTimeout(r, 200));
  expect(await macs()).toContain(mac);
  const shown = await describe(cvm, id);
  expect(shown.InstanceState).toBe('RUNNING');

  await new Promise((r) => setTimeout(r, 1100));
  await vpc.DetachNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId!, InstanceId: id });
  await eniIs('AVAILABLE', undefined);
  for (let i = 0; i < 50 && (await macs()).includes(mac); i++) await new Promise((r) => setTimeout(r, 200));
  expect(await macs()).not.toContain(mac);

  await cvm.TerminateInstances({ InstanceIds: [id] });
  await waitState(cvm, id, 'GONE', 120_000);
  await new Promise((r) => setTimeout(r, 1100));
  await vpc.DeleteNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId! });
});
