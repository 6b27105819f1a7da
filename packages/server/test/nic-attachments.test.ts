// attachNetworkInterface, detachNetworkInterface and modifyInstanceNetworkAttribute through the
// production services, NIC worker and task runner against a real PostgreSQL, the hosts being
// FakeHostDrivers: the rules (refused with the catalogue's errors, nothing changed), the hot-plug
// reaching the instance's host and the interface's attachment state, a failed plug leaving the
// interface detached with its reason, and deleteInstance honouring each interface's autoDelete.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { NetworkInterfaceRecord } from '@kumo/store';
import { HypervisorError } from '@kumo/hypervisor';
import type { FakeHostDriver } from '../src/testing/fake-host-driver.js';
import { FakeCloud } from './support/fake-cloud.js';

const cloud = new FakeCloud();
let host: { id: string; fake: FakeHostDriver };
let instanceId: string;
let primary: NetworkInterfaceRecord;

const svc = () => cloud.wiring.services;
const nic = (id: string) => svc().networkInterfaces.get(cloud.scope(), id);
const newEni = async (subnetId = primary.subnetId) =>
  (await svc().networkInterfaces.create(cloud.scope(), { subnetId })).networkInterfaceId;

/** Waits until the interface has no attach or detach in flight. */
async function settled(id: string): Promise<NetworkInterfaceRecord> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const n = await nic(id);
    if (!n.attachTask) return n;
    if (Date.now() > deadline) throw new Error(`interface ${id} did not settle: ${JSON.stringify(n)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await cloud.start({ workers: true });
  host = await cloud.addHost('nic-host');
  // t.n1.small: nicLimit 2 (the primary and one more).
  instanceId = await cloud.create('eni', 't.n1.small');
  await cloud.until(instanceId, (i) => i?.status === 'running');
  primary = (await svc().networkInterfaces.ofInstances(cloud.scope(), [instanceId])).get(instanceId)!
    .interfaces[0]!;
}, 60_000);

afterAll(() => cloud.stop());

describe('attach and detach', () => {
  test('a secondary interface is plugged into the running guest and shows attached at device 1', async () => {
    const eni = await newEni();
    await svc().nicAttachments.attach(cloud.scope(), instanceId, eni, true);
    const attached = await settled(eni);
    expect(attached).toMatchObject({ instanceId, deviceIndex: 1, autoDelete: true, attachError: null });
    expect(host.fake.nics.get(instanceId)).toEqual([attached.mac]);
    const net = (await svc().networkInterfaces.ofInstances(cloud.scope(), [instanceId])).get(instanceId)!;
    expect(net.interfaces.map((n) => n.id)).toEqual([primary.id, eni]);

    // The type's nicLimit (2) is reached: a third is refused and stays detached.
    const third = await newEni();
    await expect(svc().nicAttachments.attach(cloud.scope(), instanceId, third)).rejects.toThrow(
      "Instance type 't.n1.small' allows at most 2 network interfaces",
    );
    expect((await nic(third)).instanceId).toBeNull();

    await svc().nicAttachments.modify(cloud.scope(), instanceId, [
      { networkInterfaceId: eni, autoDelete: false },
    ]);
    expect((await nic(eni)).autoDelete).toBe(false);

    await svc().nicAttachments.detach(cloud.scope(), instanceId, eni);
    expect(await settled(eni)).toMatchObject({ instanceId: null, deviceIndex: null, attachError: null });
    expect(host.fake.nics.get(instanceId)).toEqual([]);
    await svc().networkInterfaces.delete(cloud.scope(), third);
  });

  test('bad requests are refused with the catalogue error and change nothing', async () => {
    const eni = await newEni();
    const attach = (inst: string, id: string) => svc().nicAttachments.attach(cloud.scope(), inst, id);
    await expect(attach(instanceId, primary.id)).rejects.toThrow('primary interface');
    await expect(svc().nicAttachments.detach(cloud.scope(), instanceId, primary.id)).rejects.toThrow(
      'primary interface',
    );
    await expect(attach(instanceId, 'port-nosuchport0')).rejects.toThrow(
      "NetworkInterface 'port-nosuchport0' not found",
    );
    await expect(attach('i-nosuchinstanc', eni)).rejects.toThrow("Instance 'i-nosuchinstanc' not found");
    await expect(svc().nicAttachments.detach(cloud.scope(), instanceId, eni)).rejects.toThrow(
      `NetworkInterface '${eni}' is not attached to instance '${instanceId}'`,
    );
    await expect(
      svc().nicAttachments.modify(cloud.scope(), instanceId, [{ networkInterfaceId: eni, autoDelete: true }]),
    ).rejects.toThrow('is not attached');
    // An interface of another VPC of the account.
    const { vpcId } = await svc().vpcs.createVpc(cloud.scope(), {
      name: 'other',
      addressPrefix: '10.77.0.0/16',
    });
    const { subnetId } = await svc().vpcs.createSubnet(cloud.scope(), {
      vpcId,
      name: 'other',
      addressPrefix: '10.77.1.0/24',
      az: 'cn-north-1a',
    });
    const foreign = await newEni(subnetId);
    await expect(attach(instanceId, foreign)).rejects.toThrow(`is in VPC '${vpcId}'`);
    // Another account sees neither the instance nor the interface.
    const other = { accountId: 'acct-nobody', regionId: cloud.scope().regionId };
    await expect(svc().nicAttachments.attach(other, instanceId, eni)).rejects.toThrow('not found');
    for (const id of [eni, foreign]) expect((await nic(id)).instanceId).toBeNull();
    expect(host.fake.nics.get(instanceId) ?? []).toEqual([]);
  });

  test('an instance in a task refuses; a stopped one gets the NIC in its definition', async () => {
    const eni = await newEni();
    await svc().instances.act(cloud.scope(), cloud.caller(), instanceId, 'stop');
    await expect(svc().nicAttachments.attach(cloud.scope(), instanceId, eni)).rejects.toThrow(
      /Conflict with underlay task stop|Invalid instance status 'stopped'/,
    );
    await cloud.until(instanceId, (i) => i?.status === 'stopped');
    expect((await nic(eni)).instanceId).toBeNull();
    await svc().nicAttachments.attach(cloud.scope(), instanceId, eni);
    expect(await settled(eni)).toMatchObject({ instanceId, attachError: null });
    expect(host.fake.nics.get(instanceId)).toEqual([(await nic(eni)).mac]);
    await svc().nicAttachments.detach(cloud.scope(), instanceId, eni);
    await settled(eni);
    await svc().instances.act(cloud.scope(), cloud.caller(), instanceId, 'start');
    await cloud.until(instanceId, (i) => i?.status === 'running');
  });

  test('a plug the host refuses leaves the interface detached with the reason', async () => {
    const eni = await newEni();
    host.fake.failNext('plugNic', new HypervisorError('INVALID_STATE', 'no free PCI slot', 'plug-nic'));
    await svc().nicAttachments.attach(cloud.scope(), instanceId, eni);
    const after = await settled(eni);
    expect(after).toMatchObject({ instanceId: null, deviceIndex: null });
    expect(after.attachError).toMatch(/^attach failed: .*no free PCI slot/);
    // The next attach works and clears the reason.
    await svc().nicAttachments.attach(cloud.scope(), instanceId, eni);
    expect(await settled(eni)).toMatchObject({ instanceId, attachError: null });
    await svc().nicAttachments.detach(cloud.scope(), instanceId, eni);
    await settled(eni);
  });
});

test('deleteInstance deletes autoDelete interfaces and detaches the others', async () => {
  // c.n2.xlarge: 4 vCPUs, 8 GiB, nicLimit 4.
  const id = await cloud.create('eni-gone', 'c.n2.xlarge');
  await cloud.until(id, (i) => i?.status === 'running');
  const keep = await newEni();
  const drop = await newEni();
  await svc().nicAttachments.attach(cloud.scope(), id, keep, false);
  await svc().nicAttachments.attach(cloud.scope(), id, drop, true);
  expect([(await settled(keep)).deviceIndex, (await settled(drop)).deviceIndex]).toEqual([1, 2]);
  await svc().instances.act(cloud.scope(), cloud.caller(), id, 'delete');
  await cloud.until(id, (i) => i === undefined);
  await expect(nic(drop)).rejects.toThrow('not found');
  expect(await nic(keep)).toMatchObject({ instanceId: null, deviceIndex: null, attachTask: null });
});
