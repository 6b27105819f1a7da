// Guest tier: a tiny guest whose NIC is an OVN logical switch port — libvirt plugs it into the test
// chassis' br-int by interface id (scripts/libvirtd-up.sh starts the environment's OVN), OVN reports
// the port up, and a probe namespace on the same logical switch logs in over SSH; a second NIC
// hot-plugged into the running guest gets its address from OVN's DHCP, and is unplugged again.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { InstanceSpec } from '@kumo/hypervisor';
import { ovn, type NetworkPlane } from '@kumo/network';
import { buildImage, fixture, keypair, type Fixture } from '../../../packages/hypervisor/test/support.js';

jest.setTimeout(10 * 60_000);

const NB = process.env.KUMO_TEST_OVN_NB ?? 'unix:/var/lib/kumo-test/ovn/central/run/nb.sock';
const PROBE_NS = 'kumo-hvovn-probe';
const ids = { vpc: 'vpc-hvovn', subnet: 'subnet-hvovn', sg: 'sg-hvovn' };
const guestPort = {
  id: 'port-hvovnvm',
  interfaceId: randomUUID(),
  mac: '52:54:00:4f:0a:0a',
  ip: '10.251.1.10',
};
const extraPort = {
  id: 'port-hvovneni',
  interfaceId: randomUUID(),
  mac: '52:54:00:4f:0a:0b',
  ip: '10.251.1.11',
};
const probePort = {
  id: 'port-hvovnprobe',
  interfaceId: randomUUID(),
  mac: '52:54:00:4f:0a:14',
  ip: '10.251.1.20',
};

let plane: NetworkPlane;
let fx: Fixture;
let keyDir: string;

const run = (cmd: string, args: string[], timeout = 30_000) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { timeout, encoding: 'utf8' }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
const inProbe = (...argv: string[]) => run('ip', ['netns', 'exec', PROBE_NS, ...argv]);

/** What the chassis and the southbound database say about a port that did not come up. */
async function bindingState(interfaceId: string): Promise<string> {
  const sb = NB.replace(/nb\.sock$/, 'sb.sock');
  const logs = '/var/lib/kumo-test/ovn/chassis/log';
  const probes: [string, string[]][] = [
    ['ovs-vsctl', ['--timeout=5', 'find', 'Interface', `external_ids:iface-id=${interfaceId}`]],
    ['ovn-sbctl', [`--db=${sb}`, '--timeout=5', 'show']],
    ['tail', ['-n', '30', `${logs}/ovn-controller.log`, `${logs}/ovs-vswitchd.log`]],
  ];
  const out: string[] = [];
  for (const [cmd, args] of probes)
    out.push(`$ ${cmd} ${args.join(' ')}\n${await run(cmd, args).catch(String)}`);
  return out.join('\n');
}

beforeAll(async () => {
  plane = await ovn({ endpoint: NB });
  await plane.ensureVpc({ id: ids.vpc, cidr: '10.251.0.0/16' });
  await plane.ensureSubnet({
    id: ids.subnet,
    vpcId: ids.vpc,
    cidr: '10.251.1.0/24',
    gateway: '10.251.1.1',
    gatewayMac: '0a:00:00:fb:01:01',
    dnsServers: [],
    mtu: 1400,
  });
  await plane.ensureSecurityGroup({
    id: ids.sg,
    vpcId: ids.vpc,
    rules: [
      { id: 'r-in', direction: 'ingress', protocol: 'all', cidr: '0.0.0.0/0', action: 'allow', priority: 1 },
      { id: 'r-out', direction: 'egress', protocol: 'all', cidr: '0.0.0.0/0', action: 'allow', priority: 1 },
    ],
  });
  for (const p of [guestPort, extraPort, probePort])
    await plane.ensurePort({
      id: p.id,
      interfaceId: p.interfaceId,
      subnetId: ids.subnet,
      mac: p.mac,
      ips: [p.ip],
      securityGroupIds: [ids.sg],
      hostname: 'kumo-ovn-guest',
    });
  // The probe: a namespace whose eth0 is an OVN port on the same switch (plugged by hand, as the lab does).
  await run('ip', ['netns', 'add', PROBE_NS]);
  await run('ip', ['link', 'add', 'hvovn-p', 'type', 'veth', 'peer', 'name', 'hvovn-c']);
  await run('ip', ['link', 'set', 'hvovn-c', 'netns', PROBE_NS]);
  await inProbe('ip', 'link', 'set', 'hvovn-c', 'name', 'eth0');
  await inProbe('ip', 'link', 'set', 'eth0', 'address', probePort.mac);
  await inProbe('ip', 'addr', 'add', `${probePort.ip}/24`, 'dev', 'eth0');
  await inProbe('ip', 'link', 'set', 'eth0', 'up');
  // The userspace datapath cannot fill in checksums a veth leaves to offload.
  await inProbe('ethtool', '-K', 'eth0', 'tx', 'off');
  await run('ip', ['link', 'set', 'hvovn-p', 'up']);
  await run('ovs-vsctl', [
    '--timeout=10',
    'add-port',
    'br-int',
    'hvovn-p',
    '--',
    'set',
    'Interface',
    'hvovn-p',
    `external_ids:iface-id=${probePort.interfaceId}`,
  ]);
  await plane.waitPortUp(probePort.id, 120_000).catch(async (err: unknown) => {
    throw new Error(`${String(err)}\n${await bindingState(probePort.interfaceId)}`);
  });
  fx = await fixture('ovn');
  keyDir = mkdtempSync(join(tmpdir(), 'kumo-hvovn-'));
});

afterAll(async () => {
  if (fx) {
    for (const i of await fx.host.list()) await fx.host.destroy(i.id);
    await fx.cleanup();
  }
  await run('ovs-vsctl', ['--timeout=10', '--if-exists', 'del-port', 'br-int', 'hvovn-p']).catch(() => '');
  await run('ip', ['netns', 'del', PROBE_NS]).catch(() => '');
  if (plane) {
    for (const p of [guestPort, extraPort, probePort]) await plane.removePort(p.id).catch(() => undefined);
    await plane.removeSecurityGroup(ids.sg).catch(() => undefined);
    await plane.removeSubnet(ids.subnet).catch(() => undefined);
    await plane.removeVpc(ids.vpc).catch(() => undefined);
    await plane.close();
  }
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

test('a guest on an OVN port: up, reachable over SSH across the logical switch, a NIC hot-plugged and unplugged', async () => {
  const tiny = await buildImage('tiny');
  await fx.host.ensureImage(tiny.manifest, tiny.files);
  const key = keypair('kumo-hvtest-ovn');
  const keyFile = join(keyDir, 'id');
  writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const spec: InstanceSpec = {
    id: 'ovn1',
    hostname: 'kumo-ovn-guest',
    image: tiny.manifest,
    type: { vcpus: 1, memoryMiB: 256 },
    rootDiskBytes: 1024 ** 3,
    nic: {
      network: ids.subnet,
      mac: guestPort.mac,
      ip: guestPort.ip,
      prefix: 24,
      gateway: '10.251.1.1',
      dns: [],
      ovn: { bridge: 'br-int', interfaceId: guestPort.interfaceId },
    },
    login: { authorizedKeys: [key.publicKey] },
  };
  await fx.host.spawn(spec);
  await plane.waitPortUp(guestPort.id, 60_000);

  // SSH from the probe namespace, over the logical switch (openssh's client: it runs in the namespace).
  const ssh = (cmd: string) =>
    inProbe(
      'ssh',
      '-i',
      keyFile,
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'ConnectTimeout=5',
      '-o',
      'LogLevel=ERROR',
      `root@${guestPort.ip}`,
      cmd,
    ).then((s) => s.trim());
  const until = async (what: string, fn: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await fn().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  await until('SSH over OVN', async () => (await ssh('hostname')) === 'kumo-ovn-guest', 180_000);
  expect(await ssh('cat /sys/class/net/eth0/address')).toBe(guestPort.mac);

  // A hot-plugged NIC shows up in the running guest with its MAC and gets its address by OVN's DHCP.
  await fx.host.plugNic('ovn1', {
    mac: extraPort.mac,
    ovn: { bridge: 'br-int', interfaceId: extraPort.interfaceId },
  });
  await fx.host.plugNic('ovn1', {
    mac: extraPort.mac,
    ovn: { bridge: 'br-int', interfaceId: extraPort.interfaceId },
  });
  await plane.waitPortUp(extraPort.id, 60_000);
  await until(
    'the hot-plugged NIC to get its DHCP address',
    async () => (await ssh('ip -4 -o addr show dev eth1')).includes(`inet ${extraPort.ip}/24`),
    90_000,
  );
  expect(await ssh('cat /sys/class/net/eth1/address')).toBe(extraPort.mac);
  expect(await ssh('ip route show default')).toContain('dev eth0');

  await fx.host.unplugNic('ovn1', extraPort.mac);
  await until(
    'the NIC to leave the guest',
    async () => !(await ssh('ls /sys/class/net')).includes('eth1'),
    60_000,
  );
  await fx.host.unplugNic('ovn1', extraPort.mac);
});
