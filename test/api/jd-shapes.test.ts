// Every response field has the JSON type of JD Cloud's published models (what JD's Go SDK and its
// Terraform provider decode into): keypairs, instance types, quotas, images, subnets. Instances are
// checked where real ones exist (test/guest/api/lifecycle.test.ts).
import type { KumoClient } from '@kumo/client';
import { createTestDatabase, dropTestDatabase } from '../support/database.js';
import { expectJdShape, jdTypeMismatches } from '../support/jd-shapes.js';
import { newAccount, removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

let kumod: KumodProcess;
let dbUrl: string;
let user: KumoClient;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  kumod = await startKumod({ DATABASE_URL: dbUrl });
  user = await newAccount(kumod, 'shapes');
}, 60_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(kumod.dataDir);
  await dropTestDatabase(dbUrl);
});

test('the checker itself catches a wrong JSON type, nested and in arrays', () => {
  expect(
    jdTypeMismatches('vm.DescribeInstanceResult', {
      instance: {
        instanceId: 'i-1',
        systemDisk: { cloudDisk: { multiAttachable: 'disabled' } },
        keyNames: [1],
      },
    }),
  ).toEqual([
    'vm.DescribeInstanceResult.instance.systemDisk.cloudDisk.multiAttachable: expected bool, got "disabled"',
    'vm.DescribeInstanceResult.instance.keyNames[0]: expected string, got 1',
  ]);
});

test('keypair, instance type, quota, image and subnet responses decode into JD models', async () => {
  expectJdShape('vm.CreateKeypairResult', await user.createKeypair('shape-key'));
  const keys = await user.describeKeypairs();
  expect(keys.totalCount).toBe(1);
  expectJdShape('vm.DescribeKeypairsResult', keys);

  const types = await user.describeInstanceTypes();
  expect(types.instanceTypes.length).toBeGreaterThan(0);
  expectJdShape('vm.DescribeInstanceTypesResult', types);

  const quotas = await user.describeQuotas();
  expect(quotas.quotas.map((q) => q.resourceType)).toContain('instance');
  expectJdShape('vm.DescribeQuotasResult', quotas);

  expectJdShape('vm.DescribeImagesResult', await user.describeImages({}));
  // JD's vpc SDK asks for collections with a trailing slash.
  const subnets = await user.request('GET', '/v1/regions/local-1/subnets/');
  expectJdShape('vpc.DescribeSubnetsResult', subnets);
});
