// JD's own Node SDK (jdcloud-sdk-js, its VPC client) drives the vpc service: its paths (trailing
// '/' on collections, PATCH for modify*), its JDCLOUD2 signing with the `vpc` service scope, its
// bodies and filters, and its error envelopes decode as JD's.
import { createRequire } from 'node:module';
import { createAccount } from '../support/vpc-sdk.js';
import { converged, startNetworkKumodOnTestDatabase } from '../support/network.js';

const require = createRequire(import.meta.url);
const { VPC } = require('jdcloud-sdk-js') as { VPC: new (opts: object) => Sdk };

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The SDK's methods this test calls: each resolves with JD's envelope `{ requestId, result }`. */
type Sdk = Record<string, (opts: object, regionId?: string) => Promise<Any>>;

let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let vpc: Sdk;

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  const keys = await createAccount(env.kumod, 'sdk-user');
  const url = new URL(env.kumod.endpoint);
  vpc = new VPC({
    credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
    endpoint: { host: url.host, protocol: 'http' },
    regionId: 'local-1',
    logger: () => undefined,
  });
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

test('the JD SDK creates, lists, modifies and deletes a VPC, a subnet and a security group', async () => {
  const { result: created } = await vpc.createVpc!({ vpcName: 'sdk-vpc', addressPrefix: '10.20.0.0/16' });
  const vpcId = created.vpcId as string;
  expect(vpcId).toMatch(/^vpc-/);
  const { result: subnet } = await vpc.createSubnet!({
    vpcId,
    subnetName: 'sdk-sub',
    addressPrefix: '10.20.3.0/24',
  });
  const { result: group } = await vpc.createNetworkSecurityGroup!({
    vpcId,
    networkSecurityGroupName: 'sdk-sg',
  });
  await vpc.addNetworkSecurityGroupRules!({
    networkSecurityGroupId: group.networkSecurityGroupId,
    networkSecurityGroupRuleSpecs: [
      { protocol: 6, direction: 0, addressPrefix: '0.0.0.0/0', fromPort: 80, toPort: 80 },
    ],
  });
  await vpc.modifyVpc!({ vpcId, vpcName: 'sdk-vpc-2', description: 'via the SDK' });

  const { result: vpcs } = await vpc.describeVpcs!({
    filters: [{ name: 'vpcNames', values: ['sdk-vpc-2'] }],
  });
  expect(vpcs.totalCount).toBe(1);
  expect(vpcs.vpcs[0]).toMatchObject({ vpcId, description: 'via the SDK', addressPrefix: '10.20.0.0/16' });
  const { result: subnets } = await vpc.describeSubnets!({ filters: [{ name: 'vpcId', values: [vpcId] }] });
  expect(subnets.subnets.map((s: Any) => s.subnetId)).toEqual([subnet.subnetId]);
  const { result: g } = await vpc.describeNetworkSecurityGroup!({
    networkSecurityGroupId: group.networkSecurityGroupId,
  });
  expect(g.networkSecurityGroup.securityGroupRules).toEqual([
    expect.objectContaining({ protocol: 6, direction: 0, fromPort: 80, toPort: 80 }),
  ]);

  const plane = await converged(env.kumod);
  expect(plane.vpcs).toContain(vpcId);
  expect(plane.subnets).toContain(subnet.subnetId);

  await vpc.deleteNetworkSecurityGroup!({ networkSecurityGroupId: group.networkSecurityGroupId });
  await vpc.deleteSubnet!({ subnetId: subnet.subnetId });
  await vpc.deleteVpc!({ vpcId });
  expect((await converged(env.kumod)).vpcs).not.toContain(vpcId);
});

test("vpc describeQuota shares vm describeQuotas' path; the signed service picks it", async () => {
  const { result } = await vpc.describeQuota!({ type: 'vpc' });
  expect(result.quota).toMatchObject({ type: 'vpc', maxLimit: 10, count: 1 });
  const { result: eni } = await vpc.describeQuota!({ type: 'network_interface' });
  expect(eni.quota).toMatchObject({ type: 'network_interface', count: 0 });
});

test("the JD SDK gets JD's error envelope for bad input and unknown ids", async () => {
  const bad = await vpc.createSubnet!({
    vpcId: 'vpc-0000000000',
    subnetName: 'x',
    addressPrefix: '10.0.0.0/24',
  }).then(
    () => undefined,
    (e: Any) => e,
  );
  expect(bad).toMatchObject({ requestId: expect.any(String), error: { code: 404, status: 'NOT_FOUND' } });
  const range = await vpc.createVpc!({ vpcName: 'x', addressPrefix: '10.0.0.0/12' }).then(
    () => undefined,
    (e: Any) => e,
  );
  expect(range).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
});
