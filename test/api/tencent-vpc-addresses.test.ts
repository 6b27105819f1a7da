// Tencent's VPC API for elastic IPs (Addresses) and network interfaces, driven by Tencent's
// official VPC SDK client over Kumo's elastic-ip, interface and attachment services: allocate
// from the admin's pool, bind to an interface, the same rows through JD's API, paging, and
// Tencent's codes for bad, unknown and others' ids with nothing changed. Attaching to instances
// needs hosts: here only its refusals (instances run in the guest tier).
import type { KumoClient } from '@kumo/client';
import { clientFor } from '../support/kumod.js';
import { codeOf, type Keys } from '../support/cvm-sdk.js';
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
  const admin = env.kumod.admin();
  const net = await admin.adminRequest<Any>('POST', '/externalNetworks', {
    body: {
      cidr: '192.0.2.0/24',
      gateway: '192.0.2.1',
      physicalNetwork: 'provider',
      gatewayChassis: ['gw-1'],
    },
  });
  await admin.adminRequest<Any>('POST', '/eipPools', {
    body: { externalNetworkId: net.externalNetworkId, cidr: '192.0.2.16/29', provider: 'bgp' },
  });
  keys = await createAccount(env.kumod, 'tc-eip-user');
  jd = clientFor(env.kumod.endpoint, keys);
  tc = vpcClient(env.kumod.endpoint, keys);
  stranger = vpcClient(env.kumod.endpoint, await createAccount(env.kumod, 'tc-eip-stranger'));
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

/** Waits for the next second, so a write may repeat an earlier body (see tencent-vpc.test.ts). */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
const jdGet = (path: string) => jd.request<Any>('GET', `/v1/regions/local-1${path}`);

test('network interfaces: create in a subnet with groups and addresses, describe, filter, delete', async () => {
  const subnet = (await tc.DescribeSubnets({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    .SubnetSet![0]!;
  const group = (await tc.DescribeSecurityGroups({})).SecurityGroupSet![0]!;
  const created = await tc.CreateNetworkInterface({
    VpcId: subnet.VpcId!,
    SubnetId: subnet.SubnetId!,
    NetworkInterfaceName: 'eni-a',
    NetworkInterfaceDescription: 'first',
    SecurityGroupIds: [group.SecurityGroupId],
    SecondaryPrivateIpAddressCount: 1,
  });
  const eni = created.NetworkInterface!;
  expect(eni.NetworkInterfaceId).toMatch(/^eni-[a-z0-9]{10}$/);
  expect(eni).toMatchObject({
    NetworkInterfaceName: 'eni-a',
    VpcId: subnet.VpcId,
    SubnetId: subnet.SubnetId,
    GroupSet: [group.SecurityGroupId],
    Primary: false,
    State: 'AVAILABLE',
    Zone: subnet.Zone,
  });
  expect(eni.PrivateIpAddressSet?.map((a) => a.Primary)).toEqual([true, false]);
  // The same interface through JD: `eni-x` is `port-x`.
  const portId = eni.NetworkInterfaceId!.replace(/^eni-/, 'port-');
  expect((await jdGet(`/networkInterfaces/${portId}`)).networkInterface).toMatchObject({
    networkInterfaceName: 'eni-a',
    primaryIp: { privateIpAddress: eni.PrivateIpAddressSet![0]!.PrivateIpAddress },
  });

  await tc.CreateNetworkInterface({
    VpcId: subnet.VpcId!,
    SubnetId: subnet.SubnetId!,
    NetworkInterfaceName: 'eni-b',
  });
  const inSubnet = await tc.DescribeNetworkInterfaces({
    Filters: [{ Name: 'subnet-id', Values: [subnet.SubnetId!] }],
  });
  expect(inSubnet.TotalCount).toBe(2);
  const page = await tc.DescribeNetworkInterfaces({ Offset: 1, Limit: 1 });
  expect([page.TotalCount, page.NetworkInterfaceSet?.length]).toEqual([2, 1]);
  const named = await tc.DescribeNetworkInterfaces({
    Filters: [{ Name: 'network-interface-name', Values: ['eni-b'] }],
  });
  expect(named.NetworkInterfaceSet?.map((n) => n.NetworkInterfaceName)).toEqual(['eni-b']);
  expect(await codeOf(tc.DescribeNetworkInterfaces({ Limit: 101 }))).toBe(
    'InvalidParameterValue.LimitExceeded',
  );

  // Refusals: a subnet of another VPC, bad and others' ids; nothing is created or deleted.
  const other = (await tc.CreateVpc({ VpcName: 'other', CidrBlock: '10.50.0.0/16' })).Vpc!.VpcId!;
  expect(
    await codeOf(
      tc.CreateNetworkInterface({ VpcId: other, SubnetId: subnet.SubnetId!, NetworkInterfaceName: 'x' }),
    ),
  ).toBe('InvalidParameterValue');
  expect(await codeOf(tc.DeleteNetworkInterface({ NetworkInterfaceId: 'port-1' }))).toBe(
    'InvalidParameterValue.Malformed',
  );
  expect(await codeOf(stranger.DeleteNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId! }))).toBe(
    'ResourceNotFound',
  );
  expect(
    await codeOf(stranger.DescribeNetworkInterfaces({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] })),
  ).toBeUndefined();
  expect(
    await codeOf(
      tc.AttachNetworkInterface({
        NetworkInterfaceId: eni.NetworkInterfaceId!,
        InstanceId: 'ins-000000000000',
      }),
    ),
  ).toBe('InvalidInstanceId.NotFound');
  expect(
    await codeOf(
      tc.DetachNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId!, InstanceId: 'i-1' }),
    ),
  ).toBe('InvalidInstanceId.Malformed');
  expect((await tc.DescribeNetworkInterfaces({})).TotalCount).toBe(2);

  for (const n of (await tc.DescribeNetworkInterfaces({})).NetworkInterfaceSet!) {
    await nextSecond();
    await tc.DeleteNetworkInterface({ NetworkInterfaceId: n.NetworkInterfaceId! });
  }
  expect((await tc.DescribeNetworkInterfaces({})).TotalCount).toBe(0);
  await tc.DeleteVpc({ VpcId: other });
});

test('addresses: allocate, describe, associate with an interface, disassociate, release all-or-nothing', async () => {
  const subnet = (await tc.DescribeSubnets({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))
    .SubnetSet![0]!;
  const eni = (
    await tc.CreateNetworkInterface({
      VpcId: subnet.VpcId!,
      SubnetId: subnet.SubnetId!,
      NetworkInterfaceName: 'eip-nic',
    })
  ).NetworkInterface!;
  const allocated = await tc.AllocateAddresses({ AddressCount: 2, InternetMaxBandwidthOut: 5 });
  expect(allocated.AddressSet).toHaveLength(2);
  const [a, b] = allocated.AddressSet as [string, string];
  expect(a).toMatch(/^eip-[a-z0-9]{10}$/);
  const list = await tc.DescribeAddresses({ AddressIds: [a, b] });
  expect(list.AddressSet?.map((x) => [x.AddressStatus, x.Bandwidth, x.InternetServiceProvider])).toEqual([
    ['UNBIND', 5, 'BGP'],
    ['UNBIND', 5, 'BGP'],
  ]);
  const ip = list.AddressSet!.find((x) => x.AddressId === a)!.AddressIp!;
  expect(ip).toMatch(/^192\.0\.2\./);
  // The same EIP through JD: `eip-x` is `fip-x`.
  expect((await jdGet(`/elasticIps/${a.replace(/^eip-/, 'fip-')}`)).elasticIp).toMatchObject({
    elasticIpAddress: ip,
  });
  expect(await codeOf(tc.AllocateAddresses({ AddressCount: 7 }))).toBe('AddressQuotaLimitExceeded');
  expect(await codeOf(tc.AllocateAddresses({ InternetServiceProvider: 'CMCC' }))).toBe(
    'InvalidParameterValue',
  );
  expect((await tc.DescribeAddresses({})).TotalCount).toBe(2);

  await tc.AssociateAddress({ AddressId: a, NetworkInterfaceId: eni.NetworkInterfaceId! });
  const bound = (await tc.DescribeAddresses({ Filters: [{ Name: 'address-status', Values: ['BIND_ENI'] }] }))
    .AddressSet!;
  expect(bound.map((x) => [x.AddressId, x.NetworkInterfaceId, x.PrivateAddressIp])).toEqual([
    [a, eni.NetworkInterfaceId, eni.PrivateIpAddressSet![0]!.PrivateIpAddress],
  ]);
  const nic = (await tc.DescribeNetworkInterfaces({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))
    .NetworkInterfaceSet![0]!;
  expect(nic.PrivateIpAddressSet?.[0]).toMatchObject({ PublicIpAddress: ip, AddressId: a });

  // Refusals change nothing: a bound address is not released (nor its free partner), an interface
  // with an address is not deleted, others cannot touch it, an instance that does not exist.
  expect(await codeOf(tc.ReleaseAddresses({ AddressIds: [b, a] }))).toBe('InvalidAddressIdStatus.NotPermit');
  await nextSecond();
  expect(
    await codeOf(tc.AssociateAddress({ AddressId: a, NetworkInterfaceId: eni.NetworkInterfaceId! })),
  ).toBe('InvalidAddressIdStatus.NotPermit');
  expect(await codeOf(tc.DeleteNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId! }))).toBe(
    'ResourceInUse',
  );
  expect(await codeOf(stranger.DisassociateAddress({ AddressId: a }))).toBe('InvalidAddressId.NotFound');
  expect(await codeOf(stranger.ReleaseAddresses({ AddressIds: [b] }))).toBe('InvalidAddressId.NotFound');
  expect(await codeOf(tc.AssociateAddress({ AddressId: b, InstanceId: 'ins-000000000000' }))).toBe(
    'InvalidInstanceId.NotFound',
  );
  expect(await codeOf(tc.AssociateAddress({ AddressId: b }))).toBe('InvalidParameterCombination');
  expect(await codeOf(tc.DescribeAddresses({ AddressIds: ['fip-0000000000'] }))).toBe(
    'InvalidParameterValue.Malformed',
  );
  expect((await tc.DescribeAddresses({})).TotalCount).toBe(2);

  await tc.DisassociateAddress({ AddressId: a });
  await nextSecond();
  expect(await codeOf(tc.DisassociateAddress({ AddressId: a }))).toBe('InvalidAddressIdStatus.NotPermit');
  await tc.ReleaseAddresses({ AddressIds: [a, b] });
  expect((await tc.DescribeAddresses({})).TotalCount).toBe(0);
  await nextSecond();
  await tc.DeleteNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId! });
});
