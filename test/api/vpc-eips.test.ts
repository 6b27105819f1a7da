// Elastic IPs, EIP pools and external networks through the HTTP API: the admin's provider network
// and pool, allocation (all or none, an exhausted pool is JD's quota error), association with an
// interface address, the VPC gateway it brings, what an association blocks, isolation, the plane.
import type { KumoClient } from '@kumo/client';
import { newAccount, type KumodProcess } from '../support/kumod.js';
import { converged, startNetworkKumodOnTestDatabase } from '../support/network.js';
import { expectJdShape } from '../support/jd-shapes.js';
import { apiError, del, filter, get, patch, post, type Any } from '../support/vpc-api.js';

let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let kumod: KumodProcess;
let alice: KumoClient;
let bob: KumoClient;
let netId: string;
let poolId: string;
let nicA: string;
let nicB: string;

const eips = async (c: KumoClient, q: object = {}) => await get(c, '/elasticIps/', q);
const allocate = async (c: KumoClient, maxCount: number) =>
  (await post(c, '/elasticIps/', { maxCount, elasticIpSpec: { bandwidthMbps: 5, provider: 'bgp' } }))
    .elasticIpIds as string[];

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  kumod = env.kumod;
  alice = await newAccount(kumod, 'alice');
  bob = await newAccount(kumod, 'bob');
  const admin = kumod.admin();
  netId = (
    await admin.adminRequest<Any>('POST', '/externalNetworks', {
      body: {
        cidr: '192.0.2.0/24',
        gateway: '192.0.2.1',
        physicalNetwork: 'provider',
        gatewayChassis: ['gw-1'],
      },
    })
  ).externalNetworkId;
  poolId = (
    await admin.adminRequest<Any>('POST', '/eipPools', {
      body: { externalNetworkId: netId, cidr: '192.0.2.16/29', provider: 'bgp' },
    })
  ).eipPoolId;
  const subnetId = (await get(alice, '/subnets/')).subnets[0].subnetId;
  nicA = (await post(alice, '/networkInterfaces/', { subnetId })).networkInterfaceId;
  nicB = (await post(alice, '/networkInterfaces/', { subnetId })).networkInterfaceId;
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

test('the admin lists the external network and pool; users cannot call the admin API', async () => {
  const nets = await kumod.admin().adminRequest<Any>('GET', '/externalNetworks');
  expect(nets.externalNetworks).toEqual([
    expect.objectContaining({ externalNetworkId: netId, cidr: '192.0.2.0/24', physicalNetwork: 'provider' }),
  ]);
  const pools = await kumod.admin().adminRequest<Any>('GET', '/eipPools');
  expect(pools.eipPools).toEqual([
    expect.objectContaining({ eipPoolId: poolId, cidr: '192.0.2.16/29', provider: 'bgp' }),
  ]);
  expect(await apiError(alice.adminRequest('GET', '/eipPools'))).toMatchObject({ httpStatus: 403 });
  expect(
    await apiError(
      kumod
        .admin()
        .adminRequest('POST', '/eipPools', { body: { externalNetworkId: netId, cidr: '198.51.100.0/29' } }),
    ),
  ).toMatchObject({ status: 'INVALID_ARGUMENT' });
});

test('allocate, associate (VPC gateway made once), move, disassociate and delete; the plane follows', async () => {
  const [a, b] = await allocate(alice, 2);
  const list = await eips(alice, filter('elasticIpIds', a!, b!));
  expectJdShape('vpc.DescribeElasticIpsResult', list);
  expect(list.elasticIps.map((e: Any) => [e.elasticIpAddress, e.status]).sort()).toEqual([
    ['192.0.2.16', 'NOT_ASSOCIATED'],
    ['192.0.2.17', 'NOT_ASSOCIATED'],
  ]);
  await post(alice, `/networkInterfaces/${nicA}:associateElasticIp`, { elasticIpId: a });
  const primaryA = (await get(alice, `/networkInterfaces/${nicA}`)).networkInterface.primaryIp
    .privateIpAddress;
  const { elasticIp } = await get(alice, `/elasticIps/${a}`);
  expect(elasticIp).toMatchObject({
    status: 'ASSOCIATED',
    networkInterfaceId: nicA,
    privateIpAddress: primaryA,
  });
  expectJdShape('vpc.DescribeElasticIpResult', { elasticIp });

  // Busy: associate again, delete the EIP, delete the interface.
  expect(
    await apiError(post(alice, `/networkInterfaces/${nicB}:associateElasticIp`, { elasticIpId: a })),
  ).toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  expect(await apiError(del(alice, `/elasticIps/${a}`))).toMatchObject({ status: 'FAILED_PRECONDITION' });
  expect(await apiError(del(alice, `/networkInterfaces/${nicA}`))).toMatchObject({
    status: 'FAILED_PRECONDITION',
  });

  let plane = await converged(kumod);
  const vpcId = (await get(alice, `/networkInterfaces/${nicA}`)).networkInterface.vpcId;
  expect(plane.elasticIps).toEqual([a]);
  expect(plane.externalNetworks).toEqual([netId]);
  expect(plane.vpcGateways).toEqual([vpcId]);

  // Move it by address to the other interface; change its bandwidth.
  await post(alice, `/networkInterfaces/${nicA}:disassociateElasticIp`, { elasticIpAddress: '192.0.2.16' });
  await post(alice, `/networkInterfaces/${nicB}:associateElasticIp`, { elasticIpAddress: '192.0.2.16' });
  await patch(alice, `/elasticIps/${a}`, { bandwidthMbps: 50 });
  expect((await get(alice, `/elasticIps/${a}`)).elasticIp).toMatchObject({
    networkInterfaceId: nicB,
    bandwidthMbps: 50,
  });
  expect(
    (await eips(alice, filter('status', 'ASSOCIATED'))).elasticIps.map((e: Any) => e.elasticIpId),
  ).toEqual([a]);
  await post(alice, `/networkInterfaces/${nicB}:disassociateElasticIp`, { elasticIpId: a });
  plane = await converged(kumod);
  expect(plane.elasticIps).toEqual([]);
  await del(alice, `/elasticIps/${a}`);
  await del(alice, `/elasticIps/${b}`);
  expect((await eips(alice)).totalCount).toBe(0);
});

test('an exhausted pool refuses the whole request with QUOTA_EXCEEDED and allocates nothing', async () => {
  // 8 addresses, one held by the VPC gateway: 7 left.
  expect(await apiError(allocate(alice, 8))).toMatchObject({ httpStatus: 429, status: 'QUOTA_EXCEEDED' });
  expect((await eips(alice)).totalCount).toBe(0);
  const seven = await allocate(alice, 7);
  expect(await apiError(allocate(bob, 1))).toMatchObject({ httpStatus: 429, status: 'QUOTA_EXCEEDED' });
  expect(await apiError(kumod.admin().adminRequest('DELETE', `/eipPools/${poolId}`))).toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  for (const id of seven) await del(alice, `/elasticIps/${id}`);
  // Addresses are free once the plane has let go of them.
  await converged(kumod);
  expect((await allocate(bob, 1)).length).toBe(1);
});

test("bad input and another account's EIPs", async () => {
  const [mine] = await allocate(alice, 1);
  for (const p of [
    get(bob, `/elasticIps/${mine}`),
    del(bob, `/elasticIps/${mine}`),
    patch(bob, `/elasticIps/${mine}`, { bandwidthMbps: 10 }),
    post(bob, `/networkInterfaces/${nicA}:associateElasticIp`, { elasticIpId: mine }),
  ])
    expect(await apiError(p)).toMatchObject({ httpStatus: 404, status: 'NOT_FOUND' });
  const bobSubnet = (await get(bob, '/subnets/')).subnets[0].subnetId;
  const bobNic = (await post(bob, '/networkInterfaces/', { subnetId: bobSubnet })).networkInterfaceId;
  expect(
    await apiError(post(bob, `/networkInterfaces/${bobNic}:associateElasticIp`, { elasticIpId: mine })),
  ).toMatchObject({
    httpStatus: 404,
  });
  expect(await apiError(patch(alice, `/elasticIps/${mine}`, { bandwidthMbps: 0 }))).toMatchObject({
    status: 'OUT_OF_RANGE',
  });
  expect(
    await apiError(
      post(alice, '/elasticIps/', { maxCount: 1, elasticIpSpec: { bandwidthMbps: 5, provider: 'nope' } }),
    ),
  ).toMatchObject({ status: 'INVALID_ARGUMENT' });
  expect(
    await apiError(
      post(alice, `/networkInterfaces/${nicA}:associateElasticIp`, {
        elasticIpId: mine,
        privateIpAddress: '10.9.9.9',
      }),
    ),
  ).toMatchObject({ status: 'INVALID_ARGUMENT' });
  expect(
    await apiError(post(alice, `/networkInterfaces/${nicA}:disassociateElasticIp`, { elasticIpId: mine })),
  ).toMatchObject({
    status: 'FAILED_PRECONDITION',
  });
  await del(alice, `/elasticIps/${mine}`);
});
