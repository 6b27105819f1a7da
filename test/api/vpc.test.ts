// JD's vpc service through the HTTP API: account defaults, VPCs, subnets and security groups,
// tenant isolation between two accounts, and the network plane converging to exactly the
// inventory. Bad input is vpc-bad-input.test.ts's, interfaces vpc-interfaces.test.ts's.
import type { KumoClient } from '@kumo/client';
import { newAccount, type KumodProcess } from '../support/kumod.js';
import { converged, inventoryOf, startNetworkKumodOnTestDatabase } from '../support/network.js';
import { expectJdShape } from '../support/jd-shapes.js';
import { apiError, createVpc, del, filter, get, patch, post, type Any } from '../support/vpc-api.js';

let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let kumod: KumodProcess;
let alice: KumoClient;
let bob: KumoClient;

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  kumod = env.kumod;
  alice = await newAccount(kumod, 'alice');
  bob = await newAccount(kumod, 'bob');
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

test('an account gets one default VPC, subnet and security group on first use, even under concurrent first requests', async () => {
  const carol = await newAccount(kumod, 'carol');
  const lists = await Promise.all([1, 2, 3, 4, 5].map(() => get(carol, '/vpcs/')));
  for (const l of lists) expect(l.totalCount).toBe(1);
  const vpc = lists[0]!.vpcs[0];
  expect(vpc).toMatchObject({
    vpcName: 'default',
    addressPrefix: expect.stringMatching(/^10\.240\.\d+\.0\/20$/),
  });
  expect(vpc.subnets).toEqual([
    expect.objectContaining({
      subnetName: 'default-local-1a',
      az: 'local-1a',
      vpcId: vpc.vpcId,
      addressPrefix: vpc.addressPrefix.replace('/20', '/24'),
      availableIpCount: 253,
    }),
  ]);
  const groups = await get(carol, '/networkSecurityGroups/', filter('vpcId', vpc.vpcId));
  expect(groups.totalCount).toBe(1);
  const rules = groups.networkSecurityGroups[0].securityGroupRules.map((r: Any) => [
    r.direction,
    r.protocol,
    r.fromPort,
    r.toPort,
    r.addressPrefix,
    r.ruleAction,
  ]);
  // JD's default group: all egress; ingress ping and SSH.
  expect(rules.sort()).toEqual(
    [
      [0, 1, 0, 0, '0.0.0.0/0', 'ALLOW'],
      [0, 6, 22, 22, '0.0.0.0/0', 'ALLOW'],
      [1, 300, 0, 0, '0.0.0.0/0', 'ALLOW'],
    ].sort(),
  );
  // Default VPCs of different accounts never overlap (one route reaches them all).
  const other = (await get(alice, '/vpcs/', filter('vpcNames', 'default'))).vpcs[0];
  expect(other.addressPrefix).not.toBe(vpc.addressPrefix);
});

test('VPC and subnet lifecycle: create, describe with filters and paging, modify, delete; the plane follows', async () => {
  const vpcId = await createVpc(alice, 'web', '10.0.0.0/16');
  expect(vpcId).toMatch(/^vpc-[a-z0-9]{10}$/);
  const { subnetId } = await post(alice, '/subnets/', {
    vpcId,
    subnetName: 'front',
    addressPrefix: '10.0.1.0/24',
  });
  const { subnet } = await get(alice, `/subnets/${subnetId}`);
  expect(subnet).toMatchObject({
    subnetId,
    subnetName: 'front',
    vpcId,
    addressPrefix: '10.0.1.0/24',
    availableIpCount: 253,
    startIp: '10.0.1.2',
    endIp: '10.0.1.254',
    az: 'local-1a',
    createdTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
  });
  expectJdShape('vpc.DescribeSubnetResult', { subnet });
  const { vpc } = await get(alice, `/vpcs/${vpcId}`);
  expect(vpc).toMatchObject({ vpcId, vpcName: 'web', addressPrefix: '10.0.0.0/16' });
  expect(vpc.subnets.map((s: Any) => s.subnetId)).toEqual([subnetId]);
  expectJdShape('vpc.DescribeVpcResult', { vpc });

  const byVpc = await get(alice, '/subnets/', filter('vpcId', vpcId));
  expect(byVpc.subnets.map((s: Any) => s.subnetId)).toEqual([subnetId]);
  expectJdShape('vpc.DescribeSubnetsResult', byVpc);
  const vpcs = await get(alice, '/vpcs/', { pageSize: 10, ...filter('vpcIds', vpcId) });
  expect(vpcs.totalCount).toBe(1);
  expectJdShape('vpc.DescribeVpcsResult', vpcs);

  await patch(alice, `/vpcs/${vpcId}`, { vpcName: 'web2', description: 'front end' });
  await patch(alice, `/subnets/${subnetId}`, { subnetName: 'front2' });
  expect((await get(alice, `/vpcs/${vpcId}`)).vpc).toMatchObject({
    vpcName: 'web2',
    description: 'front end',
  });
  expect((await get(alice, '/subnets/', filter('subnetNames', 'front2'))).totalCount).toBe(1);

  let plane = await converged(kumod);
  expect(plane.vpcs).toContain(vpcId);
  expect(plane.subnets).toContain(subnetId);

  await del(alice, `/subnets/${subnetId}`);
  await del(alice, `/vpcs/${vpcId}`);
  await expect(get(alice, `/vpcs/${vpcId}`)).rejects.toThrow(/not found/);
  plane = await converged(kumod);
  expect(plane.vpcs).not.toContain(vpcId);
  expect(plane.subnets).not.toContain(subnetId);
});

test('security groups: create with rules, add, modify and remove rules; the plane gets every change', async () => {
  const vpcId = await createVpc(alice, 'sg-vpc', '172.16.0.0/16');
  const { networkSecurityGroupId: sg } = await post(alice, '/networkSecurityGroups/', {
    vpcId,
    networkSecurityGroupName: 'web',
    networkSecurityGroupRuleSpecs: [
      { protocol: 6, direction: 0, addressPrefix: '0.0.0.0/0', fromPort: 443, toPort: 443 },
    ],
  });
  expect(sg).toMatch(/^sg-[a-z0-9]{10}$/);
  await post(alice, `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`, {
    networkSecurityGroupRuleSpecs: [
      { protocol: 17, direction: 1, addressPrefix: '10.0.0.0/8', fromPort: 53, toPort: 53, priority: 10 },
      { protocol: 1, direction: 0, addressPrefix: '192.168.0.0/16', ruleAction: 'DENY' },
    ],
  });
  let group = (await get(alice, `/networkSecurityGroups/${sg}`)).networkSecurityGroup;
  expectJdShape('vpc.DescribeNetworkSecurityGroupResult', { networkSecurityGroup: group });
  expect(
    group.securityGroupRules.map((r: Any) => [r.protocol, r.direction, r.fromPort, r.priority, r.ruleAction]),
  ).toEqual([
    [17, 1, 53, 10, 'ALLOW'],
    [6, 0, 443, 100, 'ALLOW'],
    [1, 0, 0, 100, 'DENY'],
  ]);
  const https = group.securityGroupRules.find((r: Any) => r.protocol === 6).ruleId;
  await post(alice, `/networkSecurityGroups/${sg}:modifyNetworkSecurityGroupRules`, {
    modifySecurityGroupRuleSpecs: [{ ruleId: https, fromPort: 8443, toPort: 8443 }],
  });
  const icmp = group.securityGroupRules.find((r: Any) => r.protocol === 1).ruleId;
  await post(alice, `/networkSecurityGroups/${sg}:removeNetworkSecurityGroupRules`, { ruleIds: [icmp] });
  await patch(alice, `/networkSecurityGroups/${sg}`, { networkSecurityGroupName: 'web-2' });
  group = (await get(alice, `/networkSecurityGroups/${sg}`)).networkSecurityGroup;
  expect(group.networkSecurityGroupName).toBe('web-2');
  expect(group.securityGroupRules.map((r: Any) => [r.protocol, r.fromPort, r.toPort])).toEqual([
    [17, 53, 53],
    [6, 8443, 8443],
  ]);
  const list = await get(alice, '/networkSecurityGroups/', filter('networkSecurityGroupIds', sg));
  expectJdShape('vpc.DescribeNetworkSecurityGroupsResult', list);
  expect((await converged(kumod)).securityGroups).toContain(sg);

  // A VPC with a group of its own cannot go; its default group goes with it.
  expect(await apiError(del(alice, `/vpcs/${vpcId}`))).toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
  });
  const defaultSg = (
    await get(alice, '/networkSecurityGroups/', filter('vpcId', vpcId))
  ).networkSecurityGroups.find((g: Any) => g.networkSecurityGroupType === 'default').networkSecurityGroupId;
  expect(await apiError(del(alice, `/networkSecurityGroups/${defaultSg}`))).toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
  });
  await del(alice, `/networkSecurityGroups/${sg}`);
  await del(alice, `/vpcs/${vpcId}`);
  const plane = await converged(kumod);
  expect(plane.securityGroups).not.toContain(sg);
  expect(plane.securityGroups).not.toContain(defaultSg);
  expect(plane.vpcs).not.toContain(vpcId);
});

test("tenant isolation: another account's ids are 404 everywhere and never listed; VPC prefixes may overlap across accounts", async () => {
  const vpcId = await createVpc(alice, 'private', '10.9.0.0/16');
  const { subnetId } = await post(alice, '/subnets/', {
    vpcId,
    subnetName: 'p',
    addressPrefix: '10.9.0.0/24',
  });
  const { networkSecurityGroupId: sg } = await post(alice, '/networkSecurityGroups/', {
    vpcId,
    networkSecurityGroupName: 'p',
  });
  // bob may use the same prefix.
  const bobVpc = await createVpc(bob, 'private', '10.9.0.0/16');
  await post(bob, '/subnets/', { vpcId: bobVpc, subnetName: 'p', addressPrefix: '10.9.0.0/24' });

  for (const p of [
    get(bob, `/vpcs/${vpcId}`),
    patch(bob, `/vpcs/${vpcId}`, { vpcName: 'x' }),
    del(bob, `/vpcs/${vpcId}`),
    get(bob, `/subnets/${subnetId}`),
    patch(bob, `/subnets/${subnetId}`, { subnetName: 'x' }),
    del(bob, `/subnets/${subnetId}`),
    post(bob, '/subnets/', { vpcId, subnetName: 'x', addressPrefix: '10.9.1.0/24' }),
    post(bob, '/networkSecurityGroups/', { vpcId, networkSecurityGroupName: 'x' }),
    get(bob, `/networkSecurityGroups/${sg}`),
    del(bob, `/networkSecurityGroups/${sg}`),
    post(bob, `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`, {
      networkSecurityGroupRuleSpecs: [{ protocol: 300, direction: 0, addressPrefix: '0.0.0.0/0' }],
    }),
  ]) {
    expect(await apiError(p)).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  }
  expect((await get(bob, '/vpcs/', filter('vpcIds', vpcId))).totalCount).toBe(0);
  expect((await get(bob, '/subnets/', filter('subnetIds', subnetId))).totalCount).toBe(0);
  expect((await get(bob, '/networkSecurityGroups/', filter('networkSecurityGroupIds', sg))).totalCount).toBe(
    0,
  );
  const bobs = await inventoryOf(bob);
  expect(bobs.vpcs).not.toContain(vpcId);
  expect((await get(alice, `/vpcs/${vpcId}`)).vpc.vpcName).toBe('private');
});

test('the plane holds exactly the inventory of every account', async () => {
  const plane = await converged(kumod);
  const all = await Promise.all([alice, bob].map(inventoryOf));
  // Accounts created by other tests (carol) hold defaults too: compare per account by inclusion,
  // and the totals against the admin's view of every row.
  for (const inv of all) {
    for (const id of inv.vpcs) expect(plane.vpcs).toContain(id);
    for (const id of inv.subnets) expect(plane.subnets).toContain(id);
    for (const id of inv.securityGroups) expect(plane.securityGroups).toContain(id);
  }
  const mine = new Set(all.flatMap((i) => [...i.vpcs, ...i.subnets, ...i.securityGroups]));
  const carolsDefaults = [...plane.vpcs, ...plane.subnets, ...plane.securityGroups].filter(
    (id) => !mine.has(id),
  );
  // carol: one default VPC, subnet and group; nothing else is in the plane.
  expect(carolsDefaults).toHaveLength(3);
});
