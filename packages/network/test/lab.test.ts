// End to end on a real OVN lab in network namespaces (no libvirt): three chassis over a Geneve
// underlay, "VMs" as namespaces on veths into br-int, addresses from OVN's native DHCP. What a user
// would check: VMs on different hosts reach each other; a VPC with the same prefix cannot; a VM
// that forges its IP or MAC is cut off; a security group rule removed blocks new traffic and added
// back restores it (stateful replies pass); an elastic IP reaches its VM from outside, moves, and
// goes; outbound traffic leaves with the EIP or the VPC's SNAT address; its bandwidth limit holds.
import { describe, expect, it, jest } from '@jest/globals';
import { ovn, type NetworkPlane, type PlanePort, type PlaneRule } from '../src/index.js';
import { Lab } from './lab.js';

jest.setTimeout(60_000);

let lab: Lab;
let plane: NetworkPlane;

const rules: PlaneRule[] = [
  { id: 'icmp-in', direction: 'ingress', protocol: 'icmp', cidr: '0.0.0.0/0', action: 'allow', priority: 10 },
  {
    id: 'tcp-in',
    direction: 'ingress',
    protocol: 'tcp',
    fromPort: 7001,
    toPort: 7003,
    cidr: '0.0.0.0/0',
    action: 'allow',
    priority: 20,
  },
  { id: 'all-out', direction: 'egress', protocol: 'all', cidr: '0.0.0.0/0', action: 'allow', priority: 100 },
];
const subnet = (id: string, vpcId: string, macByte: string) => ({
  id,
  vpcId,
  cidr: '10.10.1.0/24',
  gateway: '10.10.1.1',
  gatewayMac: `02:00:0a:0a:${macByte}:01`,
  dnsServers: ['10.10.0.2'],
  mtu: 1400,
});
const port = (n: number, subnetId: string, sg: string): PlanePort => ({
  id: `port-${n}`,
  interfaceId: `00000000-0000-4000-8000-00000000000${n}`,
  subnetId,
  mac: `02:00:0a:0a:01:0${n}`,
  ips: [`10.10.1.1${n}`],
  securityGroupIds: [sg],
  hostname: `vm${n}`,
});
const ns = (vm: string) => lab.vms.get(vm)!.ns;

beforeAll(async () => {
  lab = await Lab.start({ tag: 'e2e', hosts: ['h1', 'h2', 'h3'], gateway: 'h3' });
  plane = await ovn({ endpoint: lab.central.nb });
  for (const v of ['a', 'b']) {
    await plane.ensureVpc({ id: `vpc-${v}`, cidr: '10.10.0.0/16' });
    await plane.ensureSubnet(subnet(`subnet-${v}`, `vpc-${v}`, v === 'a' ? 'aa' : 'bb'));
    await plane.ensureSecurityGroup({ id: `sg-${v}`, vpcId: `vpc-${v}`, rules });
  }
  // VPC a: vm1 on h1 and vm2 on h2. VPC b (same prefix): vm3 on h2.
  const placement: [number, string, string][] = [
    [1, 'h1', 'a'],
    [2, 'h2', 'a'],
    [3, 'h2', 'b'],
  ];
  for (const [n, host, v] of placement) {
    const p = port(n, `subnet-${v}`, `sg-${v}`);
    await plane.ensurePort(p);
    await lab.addVm(`vm${n}`, host, p.mac, p.interfaceId);
  }
  await Promise.all(placement.map(([n]) => plane.waitPortUp(`port-${n}`, 20_000)));
  for (const [n] of placement) await lab.serveText(`vm${n}`, 7001, `vm${n}`);
}, 120_000);

afterAll(async () => {
  await plane?.close();
  await lab?.stop();
}, 60_000);

describe('one subnet across hosts', () => {
  it('hands out each port its address, gateway and hostname by native DHCP', async () => {
    expect(await lab.dhcp('vm1')).toBe('lease 10.10.1.11/24 router 10.10.1.1 hostname vm1');
    expect(await lab.dhcp('vm2')).toBe('lease 10.10.1.12/24 router 10.10.1.1 hostname vm2');
    expect(await lab.dhcp('vm3')).toBe('lease 10.10.1.13/24 router 10.10.1.1 hostname vm3');
  });

  it('lets VMs on different chassis ping and connect over TCP', async () => {
    expect(await lab.reachable(ns('vm1'), '10.10.1.12')).toBe(true);
    expect(await lab.reachable(ns('vm2'), '10.10.1.11')).toBe(true);
    expect(await lab.tcpRead(ns('vm1'), '10.10.1.12', 7001)).toBe('vm2');
  });

  it('keeps a VPC with the same prefix apart', async () => {
    // vm3 works (its own gateway answers) but reaches neither VM of VPC a, nor they it.
    expect(await lab.reachable(ns('vm3'), '10.10.1.1')).toBe(true);
    expect(await lab.pingOnce(ns('vm3'), '10.10.1.11', 3)).toBe(false);
    expect(await lab.pingOnce(ns('vm3'), '10.10.1.12', 3)).toBe(false);
    expect(await lab.pingOnce(ns('vm1'), '10.10.1.13', 3)).toBe(false);
  });
});

describe('requested chassis', () => {
  it('keeps a port bound to its host: plugged on another chassis it stays down until moved there', async () => {
    const p = { ...port(4, 'subnet-a', 'sg-a'), chassis: lab.hosts.get('h2')!.ns };
    await plane.ensurePort(p);
    await lab.addVm('vm4', 'h1', p.mac, p.interfaceId);
    try {
      // h1 sees the interface but does not claim a port requested for h2.
      await expect(plane.waitPortUp(p.id, 4000)).rejects.toThrow();
      expect(await lab.pingOnce(ns('vm1'), '10.10.1.14', 2)).toBe(false);
      // The instance "moved" to h1: the port follows its host's chassis and binds.
      await plane.ensurePort({ ...p, chassis: lab.hosts.get('h1')!.ns });
      await plane.waitPortUp(p.id, 20_000);
    } finally {
      await lab.removeVm('vm4');
      await plane.removePort(p.id);
    }
  });
});

/** Gives a VM a different address of its own choosing (what a tenant can do inside a guest). */
async function readdress(vm: string, ip: string): Promise<void> {
  await lab.inNs(ns(vm), 'ip', 'addr', 'flush', 'dev', 'eth0');
  await lab.inNs(ns(vm), 'ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0');
  await lab.inNs(ns(vm), 'ip', 'route', 'replace', 'default', 'via', '10.10.1.1');
}

describe('port security', () => {
  it('cuts off a VM that takes another address, and lets it back with its own', async () => {
    await readdress('vm2', '10.10.1.99');
    expect(await lab.pingOnce(ns('vm1'), '10.10.1.99', 3)).toBe(false);
    expect(await lab.pingOnce(ns('vm2'), '10.10.1.11', 3)).toBe(false);
    await readdress('vm2', '10.10.1.12');
    expect(await lab.reachable(ns('vm1'), '10.10.1.12')).toBe(true);
  });

  it('cuts off a VM that changes its MAC', async () => {
    await lab.inNs(ns('vm2'), 'ip', 'link', 'set', 'eth0', 'address', '02:00:0a:0a:01:99');
    await lab.inNs(ns('vm1'), 'ip', 'neigh', 'flush', 'dev', 'eth0');
    expect(await lab.pingOnce(ns('vm1'), '10.10.1.12', 3)).toBe(false);
    await lab.inNs(ns('vm2'), 'ip', 'link', 'set', 'eth0', 'address', '02:00:0a:0a:01:02');
    await lab.inNs(ns('vm1'), 'ip', 'neigh', 'flush', 'dev', 'eth0');
    expect(await lab.reachable(ns('vm1'), '10.10.1.12')).toBe(true);
  });
});

describe('security groups', () => {
  it('blocks new traffic when a rule is removed and restores it when added back', async () => {
    expect(await lab.reachable(ns('vm1'), '10.10.1.12')).toBe(true);
    await plane.ensureSecurityGroup({
      id: 'sg-a',
      vpcId: 'vpc-a',
      rules: rules.filter((r) => r.id !== 'icmp-in'),
    });
    const end = Date.now() + 5000;
    let blocked = false;
    while (!blocked && Date.now() < end) blocked = !(await lab.pingOnce(ns('vm1'), '10.10.1.12'));
    expect(blocked).toBe(true);
    expect(await lab.pingOnce(ns('vm1'), '10.10.1.12', 3)).toBe(false);
    // TCP 7001 is still allowed: the block is the one rule, not the port.
    expect(await lab.tcpRead(ns('vm1'), '10.10.1.12', 7001)).toBe('vm2');
    await plane.ensureSecurityGroup({ id: 'sg-a', vpcId: 'vpc-a', rules });
    expect(await lab.reachable(ns('vm1'), '10.10.1.12', 5000)).toBe(true);
  });

  it('drops what no rule allows in, while replies to what a VM sends pass (stateful)', async () => {
    // vm1 moves to a group that only allows egress; vm2 keeps icmp and tcp 7001 in.
    await plane.ensureSecurityGroup({
      id: 'sg-out',
      vpcId: 'vpc-a',
      rules: rules.filter((r) => r.direction === 'egress'),
    });
    await plane.ensurePort({ ...port(1, 'subnet-a', 'sg-out') });
    try {
      let closed = false;
      const end = Date.now() + 5000;
      while (!closed && Date.now() < end) closed = !(await lab.pingOnce(ns('vm2'), '10.10.1.11'));
      expect(closed).toBe(true);
      expect(await lab.tcpRead(ns('vm2'), '10.10.1.11', 7001)).toBeUndefined();
      // vm1's own connections out get their replies, though vm1 allows nothing in.
      expect(await lab.reachable(ns('vm1'), '10.10.1.12', 5000)).toBe(true);
      expect(await lab.tcpRead(ns('vm1'), '10.10.1.12', 7001)).toBe('vm2');
    } finally {
      await plane.ensurePort(port(1, 'subnet-a', 'sg-a'));
      await plane.removeSecurityGroup('sg-out');
    }
  });
});

describe('elastic IP and the VPC gateway', () => {
  it('reaches its VM from outside, moves to another VM, and stops when removed', async () => {
    const outside = lab.outsideNs!;
    await plane.ensureExternalNetwork({
      id: 'ext-1',
      cidr: '192.0.2.0/24',
      gateway: '192.0.2.1',
      physicalNetwork: 'provider',
      gatewayChassis: ['kovn-e2e-h3'],
    });
    await plane.ensureVpcGateway({
      vpcId: 'vpc-a',
      externalNetworkId: 'ext-1',
      ip: '192.0.2.10',
      mac: '02:00:c0:00:02:0a',
    });
    await plane.ensureElasticIp({
      id: 'eip-1',
      vpcId: 'vpc-a',
      ip: '192.0.2.50',
      portId: 'port-1',
      logicalIp: '10.10.1.11',
      bandwidthMbps: 0,
    });
    expect(await lab.reachable(outside, '192.0.2.50')).toBe(true);
    expect(await lab.tcpRead(outside, '192.0.2.50', 7001)).toBe('vm1');
    await plane.ensureElasticIp({
      id: 'eip-1',
      vpcId: 'vpc-a',
      ip: '192.0.2.50',
      portId: 'port-2',
      logicalIp: '10.10.1.12',
      bandwidthMbps: 0,
    });
    const end = Date.now() + 5000;
    let who: string | undefined;
    while (who !== 'vm2' && Date.now() < end) who = await lab.tcpRead(outside, '192.0.2.50', 7001);
    expect(who).toBe('vm2');
    await plane.removeElasticIp('eip-1');
    await new Promise((r) => setTimeout(r, 500));
    expect(await lab.pingOnce(outside, '192.0.2.50', 3)).toBe(false);
  });

  it('sends outbound traffic from the EIP, and from the SNAT address without one', async () => {
    const outside = lab.outsideNs!;
    // The outside end tells each connection its source address.
    lab.spawnIn(outside, [
      'node',
      '-e',
      "require('net').createServer((s) => s.end(s.remoteAddress + '\\n')).listen(7100)",
    ]);
    await new Promise((r) => setTimeout(r, 500));
    await plane.ensureElasticIp({
      id: 'eip-1',
      vpcId: 'vpc-a',
      ip: '192.0.2.50',
      portId: 'port-1',
      logicalIp: '10.10.1.11',
      bandwidthMbps: 0,
    });
    // Reachable from outside = its flows are installed; only then is the source worth checking.
    expect(await lab.reachable(outside, '192.0.2.50')).toBe(true);
    const seen = async (vm: string) => {
      const end = Date.now() + 5000;
      let s: string | undefined;
      while (!s && Date.now() < end) s = await lab.tcpRead(ns(vm), '192.0.2.1', 7100);
      return s?.replace(/^::ffff:/, '');
    };
    expect(await seen('vm1')).toBe('192.0.2.50');
    expect(await seen('vm2')).toBe('192.0.2.10');
  });

  it('limits an EIP to its bandwidth with OVN QoS meters', async () => {
    const outside = lab.outsideNs!;
    const bytes = 4 * 1024 * 1024;
    const eip = { id: 'eip-1', vpcId: 'vpc-a', ip: '192.0.2.50', portId: 'port-1', logicalIp: '10.10.1.11' };
    await plane.ensureElasticIp({ ...eip, bandwidthMbps: 0 });
    expect(await lab.reachable(outside, '192.0.2.50')).toBe(true);
    const free = (bytes * 8) / 1e6 / (await lab.tcpTransfer(outside, ns('vm1'), '192.0.2.50', 7002, bytes));
    await plane.ensureElasticIp({ ...eip, bandwidthMbps: 8 });
    await new Promise((r) => setTimeout(r, 500));
    const limited =
      (bytes * 8) / 1e6 / (await lab.tcpTransfer(outside, ns('vm1'), '192.0.2.50', 7003, bytes));
    // 4 MiB is 33.6 Mbit: at 8 Mbit/s with a one-second burst that is about 3.2 s, so at most
    // ~10.5 Mbit/s on average; unlimited runs many times faster here (~110-140 Mbit/s measured).
    expect(limited).toBeLessThan(11);
    expect(free).toBeGreaterThan(2 * limited);
    await plane.ensureElasticIp({ ...eip, bandwidthMbps: 0 });
  });
});
