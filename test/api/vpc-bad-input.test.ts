// Bad input to JD's vpc service (VPCs, subnets, security groups and rules) gets JD's error
// envelope with the right status, and creates or changes nothing.
import type { KumoClient } from '@kumo/client';
import { newAccount } from '../support/kumod.js';
import { inventoryOf, startNetworkKumodOnTestDatabase } from '../support/network.js';
import { apiError, createVpc, del, filter, get, post } from '../support/vpc-api.js';

let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let alice: KumoClient;

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  alice = await newAccount(env.kumod, 'alice');
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

describe('bad input gets the JD envelope, the right status, and creates nothing', () => {
  let vpcId: string;
  let sg: string;
  beforeAll(async () => {
    vpcId = await createVpc(alice, 'strict', '192.168.0.0/16');
    await post(alice, '/subnets/', { vpcId, subnetName: 'a', addressPrefix: '192.168.1.0/24' });
    sg = (await post(alice, '/networkSecurityGroups/', { vpcId, networkSecurityGroupName: 'strict' }))
      .networkSecurityGroupId;
  });

  const rule = (r: object) => ({ protocol: 6, direction: 0, addressPrefix: '0.0.0.0/0', ...r });
  const cases: [string, () => [string, string, object], number, string, RegExp][] = [
    ['a VPC name with spaces', () => ['/vpcs/', '', { vpcName: 'a b' }], 400, 'INVALID_ARGUMENT', /vpcName/],
    [
      'a VPC prefix shorter than /16',
      () => ['/vpcs/', '', { vpcName: 'v', addressPrefix: '10.0.0.0/15' }],
      400,
      'INVALID_ARGUMENT',
      /16-28/,
    ],
    [
      'a VPC prefix longer than /28',
      () => ['/vpcs/', '', { vpcName: 'v', addressPrefix: '10.0.0.0/29' }],
      400,
      'INVALID_ARGUMENT',
      /16-28/,
    ],
    [
      'a public VPC prefix',
      () => ['/vpcs/', '', { vpcName: 'v', addressPrefix: '8.8.0.0/16' }],
      400,
      'INVALID_ARGUMENT',
      /10\.0\.0\.0\/8/,
    ],
    [
      'a prefix with host bits',
      () => ['/vpcs/', '', { vpcName: 'v', addressPrefix: '10.0.0.1/16' }],
      400,
      'INVALID_ARGUMENT',
      /host bits/,
    ],
    [
      'a subnet outside its VPC',
      () => ['/subnets/', '', { vpcId, subnetName: 's', addressPrefix: '10.1.0.0/24' }],
      400,
      'INVALID_ARGUMENT',
      /inside the VPC/,
    ],
    [
      'an overlapping subnet',
      () => ['/subnets/', '', { vpcId, subnetName: 's', addressPrefix: '192.168.1.128/25' }],
      400,
      'INVALID_ARGUMENT',
      /overlaps/,
    ],
    [
      'a subnet longer than /28',
      () => ['/subnets/', '', { vpcId, subnetName: 's', addressPrefix: '192.168.2.0/29' }],
      400,
      'INVALID_ARGUMENT',
      /16-28/,
    ],
    [
      'a subnet in an unknown AZ',
      () => ['/subnets/', '', { vpcId, subnetName: 's', addressPrefix: '192.168.2.0/24', az: 'local-1z' }],
      400,
      'INVALID_ARGUMENT',
      /az/,
    ],
    [
      'a subnet of a missing VPC',
      () => ['/subnets/', '', { vpcId: 'vpc-0000000000', subnetName: 's', addressPrefix: '10.0.0.0/24' }],
      404,
      'NOT_FOUND',
      /Vpc/,
    ],
    [
      'a group of a missing VPC',
      () => ['/networkSecurityGroups/', '', { vpcId: 'vpc-0000000000', networkSecurityGroupName: 'g' }],
      404,
      'NOT_FOUND',
      /Vpc/,
    ],
    [
      'a rule port above 65535',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ fromPort: 1, toPort: 70000 })] },
      ],
      400,
      'OUT_OF_RANGE',
      /out of range/,
    ],
    [
      'a rule port 0',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ fromPort: 0, toPort: 10 })] },
      ],
      400,
      'OUT_OF_RANGE',
      /out of range/,
    ],
    [
      'ports on ICMP',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ protocol: 1, fromPort: 1, toPort: 2 })] },
      ],
      400,
      'INVALID_ARGUMENT',
      /no ports/,
    ],
    [
      'ports on "all"',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ protocol: 300, fromPort: 22 })] },
      ],
      400,
      'INVALID_ARGUMENT',
      /no ports/,
    ],
    [
      'an unknown protocol',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ protocol: 99 })] },
      ],
      400,
      'INVALID_ARGUMENT',
      /protocol/,
    ],
    [
      'a priority of 0',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ priority: 0 })] },
      ],
      400,
      'OUT_OF_RANGE',
      /priority/,
    ],
    [
      'fromPort above toPort',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ fromPort: 90, toPort: 80 })] },
      ],
      400,
      'INVALID_ARGUMENT',
      /fromPort/,
    ],
    [
      'a bad rule prefix',
      () => [
        `/networkSecurityGroups/${sg}:addNetworkSecurityGroupRules`,
        '',
        { networkSecurityGroupRuleSpecs: [rule({ addressPrefix: 'anywhere' })] },
      ],
      400,
      'INVALID_ARGUMENT',
      /addressPrefix/,
    ],
    [
      'removing a missing rule',
      () => [
        `/networkSecurityGroups/${sg}:removeNetworkSecurityGroupRules`,
        '',
        { ruleIds: ['rule-0000000000'] },
      ],
      404,
      'NOT_FOUND',
      /rule/i,
    ],
  ];

  test.each(cases)('%s', async (_what, make, httpStatus, status, message) => {
    const before = await inventoryOf(alice);
    const rulesBefore = (await get(alice, `/networkSecurityGroups/${sg}`)).networkSecurityGroup
      .securityGroupRules;
    const [path, , body] = make();
    const e = await apiError(post(alice, path, body));
    expect(e).toMatchObject({ httpStatus, status });
    expect(e.message).toMatch(message);
    expect(await inventoryOf(alice)).toEqual(before);
    expect(
      (await get(alice, `/networkSecurityGroups/${sg}`)).networkSecurityGroup.securityGroupRules,
    ).toEqual(rulesBefore);
  });

  test('deleting a VPC that has subnets is refused and deletes nothing', async () => {
    expect(await apiError(del(alice, `/vpcs/${vpcId}`))).toMatchObject({
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/subnets/),
    });
    expect((await get(alice, `/vpcs/${vpcId}`)).vpc.subnets).toHaveLength(1);
  });

  test('unknown filters and bad paging are refused', async () => {
    expect(await apiError(get(alice, '/vpcs/', filter('color', 'red')))).toMatchObject({ httpStatus: 400 });
    expect(await apiError(get(alice, '/subnets/', { pageSize: 5 }))).toMatchObject({
      status: 'OUT_OF_RANGE',
    });
  });
});
