// Instances of the NAT era (made before the network plane: on their host's libvirt NAT network of
// a subnet all accounts shared, with no interface rows) move onto the plane at their next start,
// through the production services and task runner against a real PostgreSQL (hosts and plane are
// fakes: the guest tier checks the same with libvirt, OVN and a real guest). Each keeps its MAC
// and address, in a VPC of its own account; the last one to leave a host removes the NAT network.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { AccountsModel, SubnetsModel, type SubnetRecord } from '@kumo/store';
import type { FakeHostDriver } from '../src/testing/fake-host-driver.js';
import { AZ, FakeCloud, REGION } from './support/fake-cloud.js';

const cloud = new FakeCloud();
let host: { id: string; fake: FakeHostDriver };
const hosts: { id: string; fake: FakeHostDriver }[] = [];
let shared: SubnetRecord;
const svc = () => cloud.wiring.services;

/** Makes a stopped instance look exactly as the NAT era left it, on `ip` of the shared subnet. */
async function toNatEra(id: string, ip: string): Promise<void> {
  await cloud.db.transaction(async (trx) => {
    const ports = trx('network_interfaces').where({ instance_id: id }).select('id');
    await trx('subnet_addresses').whereIn('interface_id', ports).del();
    await trx('network_interfaces').where({ instance_id: id }).del();
    await trx('instances').where({ id }).update({
      nat_era: true,
      subnet_id: shared.id,
      vpc_id: shared.vpcId,
      private_ip: ip,
      network_interface_id: '',
    });
  });
  const { hostId } = await svc()
    .instances.get(cloud.scope(), id)
    .catch(() => ({ hostId: null }));
  for (const h of hosts) if (!hostId || h.id === hostId) h.fake.networks.add(shared.id);
}

async function stoppedInstance(name: string, scope = cloud.scope(), type = 't.n1.micro'): Promise<string> {
  const id =
    scope.accountId === cloud.account.id
      ? await cloud.create(name, type)
      : (
          await svc().instances.create(
            scope,
            { ...cloud.caller(), account: { ...cloud.account, id: scope.accountId } },
            {
              name,
              az: AZ,
              instanceType: 't.n1.micro',
              imageId: cloud.imageId,
              keyNames: [],
              description: '',
              diskCategory: 'local',
              maxCount: 1,
            },
          )
        ).instanceIds[0]!;
  const get = () => svc().instances.get(scope, id);
  await until(async () => (await get()).status === 'running');
  await svc().instances.act(
    scope,
    { ...cloud.caller(), account: { ...cloud.account, id: scope.accountId } },
    id,
    'stop',
  );
  await until(async () => (await get()).status === 'stopped');
  return id;
}

async function until(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await cloud.start({ workers: true });
  host = await cloud.addHost('nat-host');
  hosts.push(host);
  // The shared subnet as the NAT era made it (outside the default-VPC pool).
  shared = await new SubnetsModel(cloud.db).ensureDefault(REGION, AZ, '10.250');
}, 60_000);

afterAll(() => cloud.stop());

test('a start moves each instance onto the plane with its MAC and address; the last one out removes the NAT network', async () => {
  const a = await stoppedInstance('nat-a', cloud.scope(), 't.n1.small');
  const b = await stoppedInstance('nat-b');
  await toNatEra(a, '10.250.0.10');
  await toNatEra(b, '10.250.0.11');
  const macA = (await svc().instances.get(cloud.scope(), a)).mac;

  // No interface yet: the instance is not on the plane.
  expect((await svc().networkInterfaces.ofInstances(cloud.scope(), [a])).get(a)?.interfaces ?? []).toEqual(
    [],
  );

  await svc().instances.act(cloud.scope(), cloud.caller(), a, 'start');
  await until(async () => (await svc().instances.get(cloud.scope(), a)).status === 'running');
  const instA = await svc().instances.get(cloud.scope(), a);
  const [nicA] = (await svc().networkInterfaces.ofInstances(cloud.scope(), [a])).get(a)!.interfaces;
  expect(nicA).toMatchObject({
    mac: macA,
    primaryIp: '10.250.0.10',
    role: 'Primary',
    deviceIndex: 0,
    autoDelete: true,
  });
  expect(instA).toMatchObject({
    natEra: false,
    subnetId: nicA!.subnetId,
    vpcId: nicA!.vpcId,
    privateIp: '10.250.0.10',
  });
  const subnet = await svc().vpcs.getSubnet(cloud.scope(), nicA!.subnetId);
  expect(subnet).toMatchObject({ cidr: '10.250.0.0/24', gateway: '10.250.0.1', az: AZ });
  const { vpc } = await svc().vpcs.getVpc(cloud.scope(), nicA!.vpcId);
  expect(vpc).toMatchObject({ name: 'nat-era', cidr: '10.250.0.0/16', isDefault: false });
  // The domain's NIC is on the port now; b still uses the NAT network, so it stays.
  expect(host.fake.replaced.get(`${a}:${macA}`)).toBe(nicA!.interfaceId);
  expect(host.fake.networks.has(shared.id)).toBe(true);

  await svc().instances.act(cloud.scope(), cloud.caller(), b, 'start');
  await until(async () => (await svc().instances.get(cloud.scope(), b)).status === 'running');
  const [nicB] = (await svc().networkInterfaces.ofInstances(cloud.scope(), [b])).get(b)!.interfaces;
  expect(nicB).toMatchObject({ primaryIp: '10.250.0.11', subnetId: nicA!.subnetId, vpcId: nicA!.vpcId });
  expect(host.fake.networks.has(shared.id)).toBe(false);

  // On the plane, it gets what the plane offers: a second interface, hot-plugged, whose address
  // in the adopted subnet skips the ones the moved instances kept.
  const eni = (await svc().networkInterfaces.create(cloud.scope(), { subnetId: nicA!.subnetId }))
    .networkInterfaceId;
  expect((await svc().networkInterfaces.get(cloud.scope(), eni)).primaryIp).not.toMatch(
    /^10\.250\.0\.1[01]$/,
  );
  await svc().nicAttachments.attach(cloud.scope(), a, eni);
  await until(async () => (await svc().networkInterfaces.get(cloud.scope(), eni)).attachTask === null);
  expect(await svc().networkInterfaces.get(cloud.scope(), eni)).toMatchObject({
    instanceId: a,
    deviceIndex: 1,
  });
});

test("another account's instance of the same shared subnet moves into its own VPC, invisible to the first", async () => {
  const other = (await new AccountsModel(cloud.db).create('nat-other', false)).account;
  const scope = { accountId: other.id, regionId: REGION };
  const caller = { ...cloud.caller(), account: other };
  hosts.push(await cloud.addHost('nat-host-2')); // room for one more instance
  const c = await stoppedInstance('nat-c', scope);
  await toNatEra(c, '10.250.0.10'); // the same address as the first account's nat-a: no clash
  await svc().instances.act(scope, caller, c, 'start');
  await until(async () => (await svc().instances.get(scope, c)).status === 'running');
  const [nicC] = (await svc().networkInterfaces.ofInstances(scope, [c])).get(c)!.interfaces;
  expect(nicC).toMatchObject({ primaryIp: '10.250.0.10', accountId: other.id });
  const mine = await svc().vpcs.describeVpcs(cloud.scope(), {}, 0, 100);
  expect(JSON.stringify(mine)).not.toContain(nicC!.vpcId);
  await expect(svc().vpcs.getVpc(cloud.scope(), nicC!.vpcId)).rejects.toThrow();
});
