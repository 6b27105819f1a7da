// The main job end to end through the HTTP API and the typed client, with real guests on the test
// namespace's libvirtd: create with a keypair, SSH in, stop, start, reboot, resize, rebuild, delete.
import { jest } from '@jest/globals';
import { expectJdShape } from '../../support/jd-shapes.js';
import { newAccount } from '../../support/kumod.js';
import type { KumoClient } from '@kumo/client';
import type { CreateInstancesRequest } from '@kumo/contract';
import {
  EIP,
  loginIp,
  opensshPrivateKey,
  sshExec,
  startGuestCloud,
  virsh,
  waitSsh,
  waitStatus,
  type GuestCloud,
  subnetOf,
} from './support.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

jest.setTimeout(15 * 60_000);

let cloud: GuestCloud;
let user: KumoClient;

beforeAll(async () => {
  cloud = await startGuestCloud('apilc', '10.241');
  user = await newAccount(cloud.kumod, 'lifecycle');
});

afterAll(async () => {
  await cloud?.cleanup();
});

test('what the seed builder would refuse is refused at the request, before anything is placed', async () => {
  const base = {
    name: 'refused',
    az: 'local-1a',
    instanceType: 't.n1.nano',
    imageId: cloud.images.tiny,
  };
  const refusal = (body: CreateInstancesRequest) =>
    user.createInstances(body).then(
      () => undefined,
      (e: { httpStatus: number; status: string; message: string }) => e,
    );
  // 63 characters, then "-2": 65.
  const long = await refusal({ instanceSpec: { ...base, hostname: 'a'.repeat(63) }, maxCount: 2 });
  expect(long).toMatchObject({
    httpStatus: 400,
    message: expect.stringMatching(/InstanceSpec\.Hostname.*63/),
  });
  const yaml = await refusal({
    instanceSpec: { ...base, userdata: '#cloud-config\npassword: hunter2\nruncmd: [unclosed\n' },
  });
  expect(yaml).toMatchObject({ httpStatus: 400, message: expect.stringMatching(/Userdata.*not valid YAML/) });
  expect(yaml?.message).not.toContain('hunter2');
  expect((await user.describeInstances({})).totalCount).toBe(0);
});

test('create → SSH → stop → start → reboot → resize → rebuild → delete', async () => {
  const kp = await user.createKeypair('lc-key');
  const key = opensshPrivateKey(kp.privateKey);

  const created = await user.createInstances({
    instanceSpec: {
      name: 'web-1',
      az: 'local-1a',
      instanceType: 't.n1.nano',
      imageId: cloud.images.tiny,
      keyNames: ['lc-key'],
      systemDisk: { diskCategory: 'local' },
      elasticIp: EIP,
    },
  });
  expect(created.instanceIds).toHaveLength(1);
  const id = created.instanceIds[0]!;
  const first = await user.describeInstance(id);
  expect(first.instance.status).toBe('pending');
  await waitStatus(user, id, 'running', 120_000);

  const described = await user.describeInstance(id);
  // Every field has the JSON type JD's SDKs (and Terraform) decode into.
  expectJdShape('vm.DescribeInstanceResult', described);
  expectJdShape('vm.DescribeInstancesResult', await user.describeInstances({}));
  expectJdShape('vm.DescribeInstanceStatusResult', await user.describeInstanceStatus({}));
  expectJdShape('vm.DescribeImageResult', await user.describeImage(cloud.images.tiny));
  const { instance } = described;
  expect(instance).toMatchObject({
    instanceId: id,
    instanceName: 'web-1',
    instanceType: 't.n1.nano',
    imageId: cloud.images.tiny,
    az: 'local-1a',
    keyNames: ['lc-key'],
    subnetId: await subnetOf(user, 'local-1a'),
    status: 'running',
    charge: { chargeMode: 'postpaid_by_duration' },
    systemDisk: { diskCategory: 'local', localDisk: { diskSizeGB: 40 } },
  });
  expect(instance.privateIpAddress).toMatch(/^10\.241\.\d+\.\d+$/);
  const ip = instance.elasticIpAddress!;
  expect(ip).toMatch(/^198\.18\.246\.\d+$/);
  expect(instance.primaryNetworkInterface.networkInterface.macAddress).toMatch(/^02:4b:4d(:[0-9a-f]{2}){3}$/);
  const sh = (cmd: string) => sshExec(ip, 'root', key, cmd, 15_000).then((s) => s.trim());

  await waitSsh(ip, 'root', key, 120_000);
  expect(await sh('hostname')).toBe('web-1');
  expect(await sh('ip -4 -o addr show dev eth0')).toContain(`inet ${instance.privateIpAddress}/24`);
  expect(Number(await sh('cat /sys/block/vda/size')) * 512).toBe(40 * 2 ** 30);
  expect(Number(await sh('grep -c ^processor /proc/cpuinfo'))).toBe(1);
  const domain = `${cloud.prefix}${id}`;
  expect(virsh('domstate', domain).trim()).toBe('running');

  // Elastic IPs move (vm service): the one made with the instance is disassociated and stops
  // answering, a second one is associated and SSH follows it; a second association is refused
  // (one EIP per instance); then the first one comes back for the rest of the test.
  const post = (path: string, body: object) =>
    user.request<Any>('POST', `/v1/regions/local-1${path}`, { body });
  const other: string = (
    await post('/elasticIps/', { maxCount: 1, elasticIpSpec: { bandwidthMbps: 50, provider: 'bgp' } })
  ).elasticIpIds[0];
  await post(`/instances/${id}:disassociateElasticIp`, { elasticIpId: instance.elasticIpId });
  await waitUnreachable(ip, key);
  await post(`/instances/${id}:associateElasticIp`, { elasticIpId: other });
  const moved = await loginIp(user, id);
  expect(moved).not.toBe(ip);
  await waitSsh(moved, 'root', key, 60_000);
  expect((await sshExec(moved, 'root', key, 'hostname', 15_000)).trim()).toBe('web-1');
  await expect(
    post(`/instances/${id}:associateElasticIp`, { elasticIpId: instance.elasticIpId }),
  ).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
  });
  await post(`/instances/${id}:disassociateElasticIp`, { elasticIpId: other });
  await post(`/instances/${id}:associateElasticIp`, { elasticIpId: instance.elasticIpId });
  await waitSsh(ip, 'root', key, 60_000);
  await user.request('DELETE', `/v1/regions/local-1/elasticIps/${other}`);

  // stop: stopping is visible, then stopped, and the guest is really off.
  await user.stopInstance(id);
  const stopping = await waitStatus(user, id, 'stopped', 120_000);
  expect(stopping[0]).toBe('stopping');
  expect(virsh('domstate', domain).trim()).toBe('shut off');

  // A second stop conflicts with the status, with JD's message.
  await expect(user.stopInstance(id)).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: "Invalid instance status 'stopped'",
  });

  await user.startInstance(id);
  expect((await waitStatus(user, id, 'running', 60_000))[0]).toBe('starting');
  await waitSsh(ip, 'root', key, 120_000);
  const bootBefore = await sh('cat /proc/sys/kernel/random/boot_id');

  await user.rebootInstance(id);
  // `running` again means the guest went down and came back: the first SSH answer is the new boot.
  expect((await waitStatus(user, id, 'running', 120_000))[0]).toBe('rebooting');
  await waitSsh(ip, 'root', key, 120_000);
  // A new kernel boot: the boot id changes and uptime starts again from zero.
  expect(await sh('cat /proc/sys/kernel/random/boot_id')).not.toBe(bootBefore);
  expect(Number(await sh('cut -d. -f1 /proc/uptime'))).toBeLessThan(60);

  // resize needs a stopped instance.
  await expect(user.resizeInstance(id, 't.n1.micro')).rejects.toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  await user.stopInstance(id);
  await waitStatus(user, id, 'stopped', 120_000);
  await user.resizeInstance(id, 't.n1.micro');
  await waitStatus(user, id, 'stopped', 60_000);
  expect((await user.describeInstance(id)).instance.instanceType).toBe('t.n1.micro');
  await user.startInstance(id);
  await waitStatus(user, id, 'running', 60_000);
  await waitSsh(ip, 'root', key, 120_000);
  const memKiB = Number(await sh("awk '/MemTotal/ {print $2}' /proc/meminfo"));
  expect(memKiB).toBeGreaterThan(300 * 1024);
  expect(memKiB).toBeLessThanOrEqual(512 * 1024);

  // An image in use cannot be deleted; the other one is pre-pulled to the host before the rebuild.
  await expect(cloud.admin.deleteImage(cloud.images.tiny)).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
  });
  const pulled = await cloud.admin.adminRequest<{ hosts: { outcome: string }[] }>(
    'POST',
    `/images/${cloud.images.variant}:prepull`,
    { body: {} },
  );
  expect(pulled.hosts.map((h) => h.outcome)).toEqual(['present']);
  expect(virsh('vol-list', `${cloud.prefix}pool`)).toContain('tiny-variant');

  // rebuild to the other image: new root filesystem, same IP and key.
  await user.stopInstance(id);
  await waitStatus(user, id, 'stopped', 120_000);
  await user.rebuildInstance(id, { password: 'Rebuilt-Pass1', imageId: cloud.images.variant });
  await waitStatus(user, id, 'stopped', 60_000);
  expect((await user.describeInstance(id)).instance.imageId).toBe(cloud.images.variant);
  await user.startInstance(id);
  await waitStatus(user, id, 'running', 60_000);
  await waitSsh(ip, 'root', key, 120_000);
  expect(await sh('cat /mnt/root/etc/os-release')).toContain('KUMO_IMAGE=tiny-variant');
  expect(await sh('ip -4 -o addr show dev eth0')).toContain(`inet ${instance.privateIpAddress}/24`);

  // delete: gone from the API, nothing left on the host.
  await user.deleteInstance(id);
  await waitStatus(user, id, 'deleted', 120_000);
  await expect(user.describeInstance(id)).rejects.toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  expect(virsh('list', '--all', '--name')).not.toContain(id);
  expect(virsh('vol-list', `${cloud.prefix}pool`)).not.toContain(id);
  // No libvirt network at all (OVN serves the subnet), and the plane lets go of the port and of
  // the elastic IP made with the instance.
  expect(virsh('net-list', '--all', '--name')).not.toContain(cloud.prefix);
  const portId = instance.primaryNetworkInterface.networkInterface.networkInterfaceId;
  for (let i = 0; i < 100; i++) {
    const plane = await cloud.admin.adminRequest<{ networkPlane: { ports: string[]; elasticIps: string[] } }>(
      'GET',
      '/networkPlane',
    );
    if (
      !plane.networkPlane.ports.includes(portId) &&
      !plane.networkPlane.elasticIps.includes(instance.elasticIpId!)
    )
      break;
    if (i === 99) throw new Error(`the plane still holds ${portId} or ${instance.elasticIpId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const eips = await user.request<{ elasticIps: unknown[] }>('GET', '/v1/regions/local-1/elasticIps/');
  expect(eips.elasticIps).toEqual([]);

  // The action log names every step and who asked.
  const events = await cloud.admin.adminRequest<{ events: { action: string; outcome: string }[] }>(
    'GET',
    `/instances/${id}/events`,
  );
  expect(events.events.map((e) => e.action)).toEqual([
    'spawn',
    'stop',
    'start',
    'reboot',
    'stop',
    'resize',
    'start',
    'stop',
    'rebuild',
    'start',
    'delete',
  ]);
  expect(events.events.every((e) => e.outcome === 'succeeded')).toBe(true);
});

/** Waits until SSH to `ip` no longer connects (its NAT rule is gone from the plane). */
async function waitUnreachable(ip: string, key: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (
      !(await sshExec(ip, 'root', key, 'true', 4_000).then(
        () => true,
        () => false,
      ))
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${ip} still answers SSH after its elastic IP was disassociated`);
}
