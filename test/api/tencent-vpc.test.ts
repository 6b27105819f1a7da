// Tencent's VPC API (2017-03-12) on `POST /`, driven by Tencent's official VPC SDK client over
// Kumo's vpc service: VPCs, subnets, security groups and their policies in Tencent's shapes,
// the same rows through JD's API, paging and filters, and Tencent's codes for bad and others'
// ids with nothing changed by a refused call.
import type { KumoClient } from '@kumo/client';
import { clientFor } from '../support/kumod.js';
import { codeOf, rawCvm, type Keys } from '../support/cvm-sdk.js';
import { startNetworkKumodOnTestDatabase } from '../support/network.js';
import { createAccount } from '../support/vpc-sdk.js';
import { vpcClient } from '../support/tencent-sdk.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let keys: Keys;
let jd: KumoClient;
let tc: ReturnType<typeof vpcClient>;
let stranger: ReturnType<typeof vpcClient>;

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  keys = await createAccount(env.kumod, 'tc-vpc-user');
  jd = clientFor(env.kumod.endpoint, keys);
  tc = vpcClient(env.kumod.endpoint, keys);
  stranger = vpcClient(env.kumod.endpoint, await createAccount(env.kumod, 'tc-vpc-stranger'));
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

/**
 * Waits for the next second. Tencent's SDK signs neither the action nor more than the second, so
 * a write whose body an earlier call of this second sent would reuse its signature: refused as a
 * replay (see auth/tc3.ts). Tests wait rather than vary what they mean to send.
 */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));

const jdGet = (path: string) => jd.request<Any>('GET', `/v1/regions/local-1${path}`);

test('VPCs and subnets: create, describe with filters and paging, seen by JD, delete', async () => {
  const created = await tc.CreateVpc({ VpcName: 'tc-vpc', CidrBlock: '10.30.0.0/16' });
  const vpcId = created.Vpc!.VpcId!;
  expect(vpcId).toMatch(/^vpc-[a-z0-9]{10}$/);
  expect(created.Vpc).toMatchObject({ VpcName: 'tc-vpc', CidrBlock: '10.30.0.0/16', IsDefault: false });
  expect(created.Vpc!.CreatedTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  // One row, two APIs.
  expect((await jdGet(`/vpcs/${vpcId}`)).vpc).toMatchObject({
    vpcName: 'tc-vpc',
    addressPrefix: '10.30.0.0/16',
  });

  const zone = 'local-1a';
  const subnet = await tc.CreateSubnet({
    VpcId: vpcId,
    SubnetName: 'tc-sub',
    CidrBlock: '10.30.1.0/24',
    Zone: zone,
  });
  expect(subnet.Subnet).toMatchObject({
    VpcId: vpcId,
    SubnetName: 'tc-sub',
    CidrBlock: '10.30.1.0/24',
    Zone: zone,
    IsDefault: false,
    TotalIpAddressCount: expect.any(Number),
  });
  const subnetId = subnet.Subnet!.SubnetId!;
  await tc.CreateSubnet({ VpcId: vpcId, SubnetName: 'tc-sub2', CidrBlock: '10.30.2.0/24', Zone: zone });
  expect((await jdGet(`/subnets/${subnetId}`)).subnet).toMatchObject({ subnetName: 'tc-sub', vpcId });

  // The account's default VPC is there too (Kumo makes it on first use), as Tencent's is.
  const all = await tc.DescribeVpcs({});
  expect(all.TotalCount).toBe(2);
  const defaults = await tc.DescribeVpcs({ Filters: [{ Name: 'is-default', Values: ['true'] }] });
  expect(defaults.VpcSet?.map((v) => v.IsDefault)).toEqual([true]);
  expect((await tc.DescribeVpcs({ VpcIds: [vpcId] })).VpcSet?.map((v) => v.VpcName)).toEqual(['tc-vpc']);
  const byName = await tc.DescribeVpcs({ Filters: [{ Name: 'vpc-name', Values: ['tc-vpc'] }] });
  expect(byName.VpcSet?.map((v) => v.VpcId)).toEqual([vpcId]);
  // Paging: the SDK types Offset/Limit as strings here; both pages together are the whole list.
  const p1 = await tc.DescribeVpcs({ Offset: '0', Limit: '1' });
  const p2 = await tc.DescribeVpcs({ Offset: '1', Limit: '1' });
  expect([p1.TotalCount, p1.VpcSet?.length, p2.VpcSet?.length]).toEqual([2, 1, 1]);
  expect(new Set([...p1.VpcSet!, ...p2.VpcSet!].map((v) => v.VpcId)).size).toBe(2);
  expect(await codeOf(tc.DescribeVpcs({ Limit: '101' }))).toBe('InvalidParameterValue.LimitExceeded');
  expect(await codeOf(tc.DescribeVpcs({ Filters: [{ Name: 'colour', Values: ['x'] }] }))).toBe(
    'InvalidFilter',
  );

  const mine = await tc.DescribeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], Limit: '1' });
  expect([mine.TotalCount, mine.SubnetSet?.length]).toEqual([2, 1]);
  const named = await tc.DescribeSubnets({ Filters: [{ Name: 'subnet-name', Values: ['tc-sub2'] }] });
  expect(named.SubnetSet?.map((s) => s.CidrBlock)).toEqual(['10.30.2.0/24']);
  expect(
    (await tc.DescribeSubnets({ SubnetIds: [subnetId] })).SubnetSet?.[0]?.AvailableIpAddressCount,
  ).toBeGreaterThan(200);

  // Refusals in Tencent's codes; nothing changes.
  expect(
    await codeOf(tc.CreateSubnet({ VpcId: vpcId, SubnetName: 'x', CidrBlock: '10.30.1.0/25', Zone: zone })),
  ).toBe('InvalidParameterValue.SubnetConflict');
  expect(await codeOf(tc.DeleteVpc({ VpcId: vpcId }))).toBe('ResourceInUse');
  expect(await codeOf(tc.DeleteVpc({ VpcId: 'vpc-nope' }))).toBe('InvalidParameterValue.Malformed');
  expect(await codeOf(tc.DeleteVpc({ VpcId: 'vpc-0000000000' }))).toBe('ResourceNotFound');
  expect(await codeOf(tc.DescribeSubnets({ SubnetIds: ['sub-1'] }))).toBe('InvalidParameterValue.Malformed');
  expect(await codeOf(tc.CreateVpc({ VpcName: 'bad', CidrBlock: '10.0.0.1/16' }))).toBe(
    'InvalidParameterValue.Malformed',
  );
  expect(
    await codeOf(tc.DescribeVpcs({ VpcIds: [vpcId], Filters: [{ Name: 'vpc-name', Values: ['tc-vpc'] }] })),
  ).toBe('InvalidParameterCombination');

  // Another account's ids are not found and not touched.
  expect(await codeOf(stranger.DeleteSubnet({ SubnetId: subnetId }))).toBe('ResourceNotFound');
  expect(
    await codeOf(
      stranger.CreateSubnet({ VpcId: vpcId, SubnetName: 's', CidrBlock: '10.30.9.0/24', Zone: zone }),
    ),
  ).toBe('ResourceNotFound');
  expect((await stranger.DescribeVpcs({ VpcIds: [vpcId] })).TotalCount).toBe(0);
  expect((await tc.DescribeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })).TotalCount).toBe(2);

  for (const s of (await tc.DescribeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })).SubnetSet!)
    await tc.DeleteSubnet({ SubnetId: s.SubnetId! });
  await nextSecond();
  await tc.DeleteVpc({ VpcId: vpcId });
  expect((await tc.DescribeVpcs({ VpcIds: [vpcId] })).TotalCount).toBe(0);
  expect(await codeOf(jdGet(`/vpcs/${vpcId}`))).toBeDefined();
});

test('security groups and policies: create in a VPC, add, describe and delete policies, JD sees the rules', async () => {
  const vpcId = (await tc.CreateVpc({ VpcName: 'sg-vpc', CidrBlock: '10.40.0.0/16' })).Vpc!.VpcId!;
  const inDefault = await tc.CreateSecurityGroup({ GroupName: 'web', GroupDescription: 'web servers' });
  expect(inDefault.SecurityGroup).toMatchObject({
    SecurityGroupName: 'web',
    SecurityGroupDesc: 'web servers',
    IsDefault: false,
  });
  const sg = await tc.CreateSecurityGroup({
    GroupName: 'app',
    GroupDescription: 'app servers',
    Tags: [{ Key: 'kumo:vpc-id', Value: vpcId }],
  });
  const sgId = sg.SecurityGroup!.SecurityGroupId;
  expect(sgId).toMatch(/^sg-[a-z0-9]{10}$/);
  expect(sg.SecurityGroup!.TagSet).toEqual([{ Key: 'kumo:vpc-id', Value: vpcId }]);
  expect((await jdGet(`/networkSecurityGroups/${sgId}`)).networkSecurityGroup).toMatchObject({ vpcId });

  const inVpc = await tc.DescribeSecurityGroups({ Filters: [{ Name: 'tag:kumo:vpc-id', Values: [vpcId] }] });
  // The VPC's own default group and the new one.
  expect(inVpc.SecurityGroupSet?.map((g) => [g.SecurityGroupName, g.IsDefault]).sort()).toEqual([
    ['app', false],
    ['default', true],
  ]);
  const byName = await tc.DescribeSecurityGroups({
    Filters: [{ Name: 'security-group-name', Values: ['web'] }],
  });
  expect(byName.SecurityGroupSet?.map((g) => g.SecurityGroupId)).toEqual([
    inDefault.SecurityGroup!.SecurityGroupId,
  ]);

  await tc.CreateSecurityGroupPolicies({
    SecurityGroupId: sgId,
    SecurityGroupPolicySet: {
      Ingress: [
        { Protocol: 'TCP', Port: '80', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT', PolicyDescription: 'http' },
        { Protocol: 'TCP', Port: '8000-8080', CidrBlock: '10.0.0.0/8', Action: 'DROP' },
      ],
      Egress: [{ Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
    },
  });
  const set = (await tc.DescribeSecurityGroupPolicies({ SecurityGroupId: sgId })).SecurityGroupPolicySet!;
  expect(set.Ingress?.map((p) => [p.PolicyIndex, p.Protocol, p.Port, p.CidrBlock, p.Action])).toEqual([
    [0, 'TCP', '80', '0.0.0.0/0', 'ACCEPT'],
    [1, 'TCP', '8000-8080', '10.0.0.0/8', 'DROP'],
  ]);
  expect(set.Egress?.map((p) => [p.Protocol, p.Port, p.Action])).toEqual([['ALL', 'ALL', 'ACCEPT']]);
  const rules = (await jdGet(`/networkSecurityGroups/${sgId}`)).networkSecurityGroup
    .securityGroupRules as Any[];
  expect(rules.map((r) => [r.direction, r.protocol, r.fromPort, r.toPort]).sort()).toEqual(
    [
      [0, 6, 80, 80],
      [0, 6, 8000, 8080],
      [1, 300, 0, 0],
    ].sort(),
  );

  // Bad policies are refused whole: nothing is added.
  const bad = (policy: Any) =>
    codeOf(
      tc.CreateSecurityGroupPolicies({
        SecurityGroupId: sgId,
        SecurityGroupPolicySet: {
          Ingress: [{ Protocol: 'TCP', Port: '22', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }, policy],
        },
      }),
    );
  expect(await bad({ Protocol: 'GRE', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' })).toBe(
    'InvalidParameterValue',
  );
  expect(await bad({ Protocol: 'TCP', Port: '22,23', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' })).toBe(
    'InvalidParameterValue',
  );
  expect(await bad({ Protocol: 'TCP', Port: '22', CidrBlock: '0.0.0.0/0', Action: 'MAYBE' })).toBe(
    'InvalidParameterValue',
  );
  expect(await bad({ Protocol: 'TCP', Port: '22', SecurityGroupId: sgId, Action: 'ACCEPT' })).toBe(
    'UnsupportedOperation',
  );
  expect(await bad({ Protocol: 'ICMP', Port: '22', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' })).toBe(
    'InvalidParameterValue',
  );
  expect(
    (await tc.DescribeSecurityGroupPolicies({ SecurityGroupId: sgId })).SecurityGroupPolicySet!.Ingress,
  ).toHaveLength(2);

  // Delete by index and by match; a policy that matches nothing refuses the whole call.
  expect(
    await codeOf(
      tc.DeleteSecurityGroupPolicies({
        SecurityGroupId: sgId,
        SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }, { PolicyIndex: 7 }] },
      }),
    ),
  ).toBe('ResourceNotFound');
  await tc.DeleteSecurityGroupPolicies({
    SecurityGroupId: sgId,
    SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }] },
  });
  await tc.DeleteSecurityGroupPolicies({
    SecurityGroupId: sgId,
    SecurityGroupPolicySet: {
      Egress: [{ Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
    },
  });
  const after = (await tc.DescribeSecurityGroupPolicies({ SecurityGroupId: sgId })).SecurityGroupPolicySet!;
  expect([after.Ingress?.map((p) => p.Port), after.Egress]).toEqual([['8000-8080'], []]);

  // Others' ids, bad ids, a default group.
  expect(await codeOf(stranger.DescribeSecurityGroupPolicies({ SecurityGroupId: sgId }))).toBe(
    'ResourceNotFound',
  );
  await nextSecond();
  expect(await codeOf(stranger.DeleteSecurityGroup({ SecurityGroupId: sgId }))).toBe('ResourceNotFound');
  expect(await codeOf(tc.DeleteSecurityGroup({ SecurityGroupId: 'sg-1' }))).toBe(
    'InvalidParameterValue.Malformed',
  );
  const dflt = inVpc.SecurityGroupSet!.find((g) => g.IsDefault)!.SecurityGroupId;
  expect(await codeOf(tc.DeleteSecurityGroup({ SecurityGroupId: dflt }))).toBe('UnsupportedOperation');
  expect(await codeOf(tc.DeleteVpc({ VpcId: vpcId }))).toBe('ResourceInUse');

  await nextSecond();
  await tc.DeleteSecurityGroup({ SecurityGroupId: sgId });
  await tc.DeleteSecurityGroup({ SecurityGroupId: inDefault.SecurityGroup!.SecurityGroupId });
  await tc.DeleteVpc({ VpcId: vpcId });
  expect((await tc.DescribeSecurityGroups({ SecurityGroupIds: [sgId] })).TotalCount).toBe(0);
});

test('the signed scope chooses the service; an address-signed call finds the action by its name', async () => {
  // Signed as service `127` (the SDK's derivation for an address): the name alone routes.
  const r = await rawCvm(env.kumod.endpoint, keys, 'DescribeVpcs', '{}');
  expect([r.status, r.json.Response.TotalCount]).toEqual([200, (await tc.DescribeVpcs({})).TotalCount]);
  // The scope `vpc` (an endpoint named vpc.<domain>) routes too; kumod checks the host, not the scope.
  expect(r.json.Response.VpcSet).toEqual(
    expect.arrayContaining([expect.objectContaining({ IsDefault: true })]),
  );
  const unknown = await rawCvm(env.kumod.endpoint, keys, 'DescribeVpcEndPoint', '{}');
  expect(unknown.json.Response.Error?.Code).toBe('InvalidAction');
});
