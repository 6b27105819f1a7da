// The built `kumo` command for the vpc service, as a shell user runs it against a kumod with a
// network plane: VPCs, subnets, security groups and rules, interfaces, and (as the admin) the
// external network and EIP pool that elastic IPs come from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kumoIn, ok } from '../support/cli.js';
import { startNetworkKumodOnTestDatabase } from '../support/network.js';
import { createAccount } from '../support/vpc-sdk.js';

const work = mkdtempSync(join(tmpdir(), 'kvpc-cli-'));
const kumo = kumoIn(mkdtempSync(join(work, 'home-')));
let env: Awaited<ReturnType<typeof startNetworkKumodOnTestDatabase>>;
let user: Record<string, string>;
let admin: Record<string, string>;

beforeAll(async () => {
  env = await startNetworkKumodOnTestDatabase();
  const keys = await createAccount(env.kumod, 'shell');
  const endpoint = env.kumod.endpoint;
  user = { KUMO_ACCESS_KEY: keys.accessKey, KUMO_SECRET_KEY: keys.secretKey, KUMO_ENDPOINT: endpoint };
  const a = env.kumod.credentials;
  admin = { KUMO_ACCESS_KEY: a.accessKey, KUMO_SECRET_KEY: a.secretKey, KUMO_ENDPOINT: endpoint };
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

test('vpc, subnet, security group and interface commands', () => {
  expect(ok(kumo(user, 'vpc', 'list'))).toMatch(
    /^ID\s+NAME\s+CIDR\s+SUBNETS.*\nvpc-\S+\s+default\s+10\.240\./,
  );
  const vpcId = ok(kumo(user, 'vpc', 'create', 'shop', '--cidr', '10.5.0.0/16')).trim();
  expect(vpcId).toMatch(/^vpc-[a-z0-9]{10}$/);
  const subnetId = ok(kumo(user, 'subnet', 'create', 'web', '--vpc', vpcId, '--cidr', '10.5.1.0/24')).trim();
  expect(ok(kumo(user, 'subnet', 'list'))).toContain(subnetId);
  const sg = ok(kumo(user, 'security-group', 'create', 'web', '--vpc', vpcId)).trim();
  ok(kumo(user, 'security-group', 'add-rule', sg, '--protocol', 'tcp', '--ports', '80-81'));
  const groups = JSON.parse(ok(kumo(user, '-o', 'json', 'security-group', 'list', '--vpc', vpcId)));
  const web = groups.networkSecurityGroups.find(
    (g: { networkSecurityGroupId: string }) => g.networkSecurityGroupId === sg,
  );
  expect(web.securityGroupRules).toEqual([
    expect.objectContaining({ protocol: 6, fromPort: 80, toPort: 81 }),
  ]);
  ok(kumo(user, 'security-group', 'remove-rule', sg, web.securityGroupRules[0].ruleId));

  const eni = ok(
    kumo(user, 'eni', 'create', '--subnet', subnetId, '--ip', '10.5.1.9', '--security-group', sg),
  ).trim();
  expect(ok(kumo(user, 'eni', 'list', '--subnet', subnetId))).toMatch(
    new RegExp(`${eni}\\s+\\S*\\s*${subnetId}\\s+10\\.5\\.1\\.9`),
  );

  // Refusals exit non-zero with JD's message.
  const busy = kumo(user, 'subnet', 'delete', subnetId);
  expect(busy.status).not.toBe(0);
  expect(busy.stderr).toMatch(/network interfaces/);

  ok(kumo(user, 'eni', 'delete', eni));
  ok(kumo(user, 'security-group', 'delete', sg));
  ok(kumo(user, 'subnet', 'delete', subnetId));
  ok(kumo(user, 'vpc', 'delete', vpcId));
  expect(ok(kumo(user, 'vpc', 'list'))).not.toContain(vpcId);
});

test('admin external network and EIP pool; a user allocates, associates and releases an EIP', () => {
  const net = ok(
    kumo(admin, 'external-network', 'create', '--cidr', '198.51.100.0/24', '--gateway', '198.51.100.1'),
  ).trim();
  expect(ok(kumo(admin, 'external-network', 'list'))).toMatch(
    new RegExp(`${net}\\s+198\\.51\\.100\\.0/24\\s+198\\.51\\.100\\.1\\s+provider`),
  );
  const pool = ok(
    kumo(admin, 'eip-pool', 'create', '--external-network', net, '--cidr', '198.51.100.64/28'),
  ).trim();
  expect(ok(kumo(admin, 'eip-pool', 'list'))).toContain(pool);
  expect(kumo(user, 'eip-pool', 'list').status).not.toBe(0);

  const eip = ok(kumo(user, 'eip', 'create', '--bandwidth', '20')).trim();
  const subnet = JSON.parse(ok(kumo(user, '-o', 'json', 'subnet', 'list'))).subnets[0].subnetId;
  const eni = ok(kumo(user, 'eni', 'create', '--subnet', subnet)).trim();
  ok(kumo(user, 'eip', 'associate', eip, eni));
  expect(ok(kumo(user, 'eip', 'list'))).toMatch(
    new RegExp(`${eip}\\s+198\\.51\\.100\\.64\\s+20\\s+ASSOCIATED\\s+${eni}`),
  );
  ok(kumo(user, 'eip', 'disassociate', eip, eni));
  ok(kumo(user, 'eip', 'delete', eip));
  ok(kumo(user, 'eni', 'delete', eni));
});
