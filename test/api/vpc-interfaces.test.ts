// Network interfaces of JD's vpc service through the HTTP API: addresses (lowest free, given,
// secondaries), MACs, security groups (default, ≤ 5, same VPC), what an interface blocks (its
// subnet's and groups' deletion), bad input with nothing created, isolation, and the plane.
import type { KumoClient } from '@kumo/client';
import { newAccount, type KumodProcess } from '../support/kumod.js';
import { converged, startNetworkKumodOnTestDatabase } from '../support/network.js';
import { expectJdShape } from '../support/jd-shapes.js';
import { apiError, del, get, patch, post, type Any } from '../support/vpc-api.js';

let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let kumod: KumodProcess;
let alice: KumoClient;
let bob: KumoClient;
let vpcId: string;
let subnetId: string;
let sg: string;
const nic = async (c: KumoClient, id: string) => (await get(c, `/networkInterfaces/${id}`)).networkInterface;
const create = async (c: KumoClient, body: object): Promise<string> =>
  (await post(c, '/networkInterfaces/', body)).networkInterfaceId;
const count = async (c: KumoClient) => (await get(c, '/networkInterfaces/')).totalCount as number;

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  kumod = env.kumod;
  alice = await newAccount(kumod, 'alice');
  bob = await newAccount(kumod, 'bob');
  vpcId = (await post(alice, '/vpcs/', { vpcName: 'eni', addressPrefix: '10.0.0.0/16' })).vpcId;
  subnetId = (await post(alice, '/subnets/', { vpcId, subnetName: 'a', addressPrefix: '10.0.1.0/24' }))
    .subnetId;
  sg = (await post(alice, '/networkSecurityGroups/', { vpcId, networkSecurityGroupName: 'web' }))
    .networkSecurityGroupId;
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

test('an interface gets the lowest free address, a Kumo MAC and the VPC default group; the plane gets its port', async () => {
  const id = await create(alice, { subnetId, networkInterfaceName: 'first' });
  expect(id).toMatch(/^port-[a-z0-9]{10}$/);
  const n = await nic(alice, id);
  const defaultSg = (
    await get(alice, '/networkSecurityGroups/', { filters: [{ name: 'vpcId', values: [vpcId] }] })
  ).networkSecurityGroups.find((g: Any) => g.networkSecurityGroupType === 'default').networkSecurityGroupId;
  expect(n).toMatchObject({
    networkInterfaceName: 'first',
    subnetId,
    vpcId,
    az: 'local-1a',
    role: 'Secondary',
    macAddress: expect.stringMatching(/^02:4b:4d(:[0-9a-f]{2}){3}$/),
    primaryIp: { privateIpAddress: '10.0.1.2' },
    secondaryIps: [],
    networkSecurityGroupIds: [defaultSg],
    attachmentStatus: 'detached',
    instanceId: '',
  });
  expectJdShape('vpc.DescribeNetworkInterfaceResult', { networkInterface: n });
  expect((await get(alice, `/subnets/${subnetId}`)).subnet.availableIpCount).toBe(252);
  expect((await converged(kumod)).ports).toContain(id);
  await del(alice, `/networkInterfaces/${id}`);
  expect((await converged(kumod)).ports).not.toContain(id);
  // The address is free again once the plane let go of the port.
  const again = await create(alice, { subnetId });
  expect((await nic(alice, again)).primaryIp.privateIpAddress).toBe('10.0.1.2');
  await del(alice, `/networkInterfaces/${again}`);
});

test('given addresses, secondaries assigned and unassigned, groups changed; a used group and subnet cannot go', async () => {
  const id = await create(alice, {
    subnetId,
    primaryIpAddress: '10.0.1.50',
    secondaryIpAddresses: ['10.0.1.60'],
    secondaryIpCount: 1,
    securityGroups: [sg],
  });
  let n = await nic(alice, id);
  expect(n.primaryIp.privateIpAddress).toBe('10.0.1.50');
  const auto = n.secondaryIps.map((s: Any) => s.privateIpAddress).filter((ip: string) => ip !== '10.0.1.60');
  expect(n.secondaryIps).toHaveLength(2);
  expect(auto).toHaveLength(1);
  expect(n.networkSecurityGroupIds).toEqual([sg]);

  await post(alice, `/networkInterfaces/${id}:assignSecondaryIps`, {
    secondaryIps: ['10.0.1.61'],
    secondaryIpCount: 1,
  });
  await post(alice, `/networkInterfaces/${id}:unassignSecondaryIps`, { secondaryIps: ['10.0.1.60'] });
  n = await nic(alice, id);
  const held = n.secondaryIps.map((s: Any) => s.privateIpAddress);
  expect(held).toHaveLength(3);
  expect(held).toEqual(expect.arrayContaining([auto[0], '10.0.1.61']));
  expect(held).not.toContain('10.0.1.60');

  const group = (await get(alice, `/networkSecurityGroups/${sg}`)).networkSecurityGroup;
  expect(group.networkInterfaceIds).toEqual([id]);
  expect(await apiError(del(alice, `/networkSecurityGroups/${sg}`))).toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  expect(await apiError(del(alice, `/subnets/${subnetId}`))).toMatchObject({ status: 'FAILED_PRECONDITION' });

  await patch(alice, `/networkInterfaces/${id}`, { networkInterfaceName: 'renamed', securityGroups: [] });
  n = await nic(alice, id);
  expect(n.networkInterfaceName).toBe('renamed');
  expect(n.networkSecurityGroupIds).not.toContain(sg);
  const list = await get(alice, '/networkInterfaces/', {
    filters: [{ name: 'subnetId', values: [subnetId] }],
  });
  expectJdShape('vpc.DescribeNetworkInterfacesResult', list);
  expect(list.networkInterfaces.map((x: Any) => x.networkInterfaceId)).toEqual([id]);
  expect((await converged(kumod)).ports).toContain(id);
  await del(alice, `/networkInterfaces/${id}`);
});

test("another account's interfaces, subnets and groups are 404 to it", async () => {
  const id = await create(alice, { subnetId });
  for (const p of [
    get(bob, `/networkInterfaces/${id}`),
    patch(bob, `/networkInterfaces/${id}`, { networkInterfaceName: 'x' }),
    del(bob, `/networkInterfaces/${id}`),
    post(bob, `/networkInterfaces/${id}:assignSecondaryIps`, { secondaryIpCount: 1 }),
    post(bob, '/networkInterfaces/', { subnetId }),
  ])
    expect(await apiError(p)).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  // bob's own subnet with alice's group: the group is not found for bob.
  const bobSubnet = (await get(bob, '/subnets/')).subnets[0].subnetId;
  expect(
    await apiError(post(bob, '/networkInterfaces/', { subnetId: bobSubnet, securityGroups: [sg] })),
  ).toMatchObject({
    httpStatus: 404,
  });
  expect(
    (await get(bob, '/networkInterfaces/', { filters: [{ name: 'networkInterfaceIds', values: [id] }] }))
      .totalCount,
  ).toBe(0);
  await del(alice, `/networkInterfaces/${id}`);
});

describe('bad input creates nothing', () => {
  let otherVpcGroup: string;
  let taken: string;
  beforeAll(async () => {
    const other = (await post(alice, '/vpcs/', { vpcName: 'other', addressPrefix: '10.1.0.0/16' })).vpcId;
    otherVpcGroup = (
      await post(alice, '/networkSecurityGroups/', { vpcId: other, networkSecurityGroupName: 'o' })
    ).networkSecurityGroupId;
    taken = await create(alice, { subnetId, primaryIpAddress: '10.0.1.100' });
  });
  afterAll(async () => {
    await del(alice, `/networkInterfaces/${taken}`);
  });

  const cases: [string, () => object, number, string, RegExp][] = [
    [
      'a primary IP outside the subnet',
      () => ({ subnetId, primaryIpAddress: '10.0.2.5' }),
      400,
      'INVALID_ARGUMENT',
      /not a usable address/,
    ],
    [
      'the gateway address',
      () => ({ subnetId, primaryIpAddress: '10.0.1.1' }),
      400,
      'INVALID_ARGUMENT',
      /not a usable address/,
    ],
    [
      'the broadcast address',
      () => ({ subnetId, primaryIpAddress: '10.0.1.255' }),
      400,
      'INVALID_ARGUMENT',
      /not a usable address/,
    ],
    [
      'a primary IP in use',
      () => ({ subnetId, primaryIpAddress: '10.0.1.100' }),
      400,
      'FAILED_PRECONDITION',
      /in use/,
    ],
    [
      'a secondary IP in use',
      () => ({ subnetId, secondaryIpAddresses: ['10.0.1.100'] }),
      400,
      'FAILED_PRECONDITION',
      /in use/,
    ],
    [
      'more than five groups',
      () => ({ subnetId, securityGroups: ['sg-a', 'sg-b', 'sg-c', 'sg-d', 'sg-e', 'sg-f'] }),
      400,
      'INVALID_ARGUMENT',
      /at most 5/,
    ],
    [
      'a group of another VPC',
      () => ({ subnetId, securityGroups: [otherVpcGroup] }),
      400,
      'INVALID_ARGUMENT',
      /not in VPC/,
    ],
    [
      'a missing group',
      () => ({ subnetId, securityGroups: ['sg-0000000000'] }),
      404,
      'NOT_FOUND',
      /NetworkSecurityGroup/,
    ],
    ['a missing subnet', () => ({ subnetId: 'subnet-0000000000' }), 404, 'NOT_FOUND', /Subnet/],
    [
      'too many secondary IPs',
      () => ({ subnetId, secondaryIpCount: 50 }),
      400,
      'OUT_OF_RANGE',
      /secondaryIpCount/,
    ],
  ];
  test.each(cases)('%s', async (_what, body, httpStatus, status, message) => {
    const before = await count(alice);
    const available = (await get(alice, `/subnets/${subnetId}`)).subnet.availableIpCount;
    const e = await apiError(post(alice, '/networkInterfaces/', body()));
    expect(e).toMatchObject({ httpStatus, status });
    expect(e.message).toMatch(message);
    expect(await count(alice)).toBe(before);
    expect((await get(alice, `/subnets/${subnetId}`)).subnet.availableIpCount).toBe(available);
  });

  test('unassigning an address the interface does not hold', async () => {
    expect(
      await apiError(
        post(alice, `/networkInterfaces/${taken}:unassignSecondaryIps`, { secondaryIps: ['10.0.1.9'] }),
      ),
    ).toMatchObject({
      status: 'INVALID_ARGUMENT',
    });
  });

  test('an exhausted subnet refuses the next interface and keeps the ones it has', async () => {
    const small = (
      await post(alice, '/subnets/', { vpcId, subnetName: 'tiny', addressPrefix: '10.0.9.0/28' })
    ).subnetId;
    const made: string[] = [];
    for (let i = 0; i < 13; i++) made.push(await create(alice, { subnetId: small }));
    expect((await get(alice, `/subnets/${small}`)).subnet.availableIpCount).toBe(0);
    expect(await apiError(post(alice, '/networkInterfaces/', { subnetId: small }))).toMatchObject({
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/no free IP/),
    });
    for (const id of made) await del(alice, `/networkInterfaces/${id}`);
    await converged(kumod);
    await del(alice, `/subnets/${small}`);
  });
});
