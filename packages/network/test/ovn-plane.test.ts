// The OVN driver against a real OVN central (scripts/ovn-up.sh): the NB rows of every ensure and
// remove, read back with ovn-nbctl and a raw OVSDB dump; idempotency (a second run writes no new
// rows), drift repaired, removes of absent objects, refusals that leave the database unchanged.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { OvsdbClient, op, type SelectedRow } from '@kumo/ovsdb';
import {
  ovn,
  PlaneInputError,
  PlaneStateError,
  PortUpTimeoutError,
  type NetworkPlane,
  type PlanePort,
} from '../src/index.js';
import { column, startCentral, type Central } from './central.js';

const TABLES = [
  'Logical_Router',
  'Logical_Router_Port',
  'Logical_Router_Static_Route',
  'NAT',
  'Gateway_Chassis',
  'Logical_Switch',
  'Logical_Switch_Port',
  'DHCP_Options',
  'Port_Group',
  'ACL',
  'QoS',
];

let central: Central;
let plane: NetworkPlane;
let raw: OvsdbClient;

beforeAll(async () => {
  central = await startCentral({ prefix: 'kovn-nb-' });
  plane = await ovn({ endpoint: central.nb });
  raw = await OvsdbClient.connect(central.nb);
}, 60_000);
afterAll(async () => {
  await plane?.close();
  await raw?.close();
  await central?.stop();
});

/** Every row of the driver's tables, UUIDs included, without the per-write _version. */
async function dump(): Promise<Record<string, SelectedRow[]>> {
  const res = await raw.transact(
    'OVN_Northbound',
    TABLES.map((t) => op.select(t, [])),
  );
  const out: Record<string, SelectedRow[]> = {};
  TABLES.forEach((t, i) => {
    out[t] = res[i]!.rows.map(({ _version: _, ...r }) => r as SelectedRow).sort((a, b) =>
      String(a._uuid) < String(b._uuid) ? -1 : 1,
    );
  });
  return out;
}

const vpc = { id: 'vpc-a', cidr: '10.0.0.0/16' };
const subnet = {
  id: 'subnet-a',
  vpcId: 'vpc-a',
  cidr: '10.0.1.0/24',
  gateway: '10.0.1.1',
  gatewayMac: '02:00:0a:00:01:01',
  dnsServers: ['10.0.0.2'],
  mtu: 1400,
};
const sg = {
  id: 'sg-a',
  vpcId: 'vpc-a',
  rules: [
    {
      id: 'r-ssh',
      direction: 'ingress' as const,
      protocol: 'tcp' as const,
      fromPort: 22,
      toPort: 22,
      cidr: '0.0.0.0/0',
      action: 'allow' as const,
      priority: 1,
    },
    {
      id: 'r-out',
      direction: 'egress' as const,
      protocol: 'all' as const,
      cidr: '0.0.0.0/0',
      action: 'allow' as const,
      priority: 100,
    },
  ],
};
const port: PlanePort = {
  id: 'port-a',
  interfaceId: '6b1c52a0-0c4e-4a43-9b5e-7f1f3c2a9d01',
  subnetId: 'subnet-a',
  mac: '02:00:0a:00:01:0a',
  ips: ['10.0.1.10', '10.0.1.11'],
  securityGroupIds: ['sg-a'],
  hostname: 'vm-a',
};
const ext = {
  id: 'ext-1',
  cidr: '192.0.2.0/24',
  gateway: '192.0.2.1',
  physicalNetwork: 'provider',
  vlan: 100,
  gatewayChassis: ['gw-1', 'gw-2'],
};
const gw = { vpcId: 'vpc-a', externalNetworkId: 'ext-1', ip: '192.0.2.10', mac: '02:00:c0:00:02:0a' };
const eip = {
  id: 'eip-1',
  vpcId: 'vpc-a',
  ip: '192.0.2.50',
  portId: 'port-a',
  logicalIp: '10.0.1.10',
  bandwidthMbps: 20,
};

async function ensureAll(): Promise<void> {
  await plane.ensureVpc(vpc);
  await plane.ensureSubnet(subnet);
  await plane.ensureSecurityGroup(sg);
  await plane.ensurePort(port);
  await plane.ensureExternalNetwork(ext);
  await plane.ensureVpcGateway(gw);
  await plane.ensureElasticIp(eip);
}

describe('ensure', () => {
  it('writes the Neutron layout', async () => {
    await ensureAll();
    expect(await column(central, 'Logical_Router', 'name')).toEqual(['kumo-vpc-a']);
    expect(await column(central, 'Logical_Switch', 'name')).toEqual(['kumo-ext-ext-1', 'kumo-subnet-a']);
    expect(await column(central, 'Logical_Router_Port', 'name,mac,networks')).toEqual([
      'lrp-gw-vpc-a,02:00:c0:00:02:0a,192.0.2.10/24',
      'lrp-subnet-a,02:00:0a:00:01:01,10.0.1.1/24',
    ]);
    const lsp = await central.nbctl(
      '--data=bare',
      '--no-headings',
      '--format=csv',
      '--columns=name,type,addresses,port_security,options,tag',
      'list',
      'Logical_Switch_Port',
    );
    expect(lsp.split('\n').filter(Boolean).sort()).toEqual([
      '6b1c52a0-0c4e-4a43-9b5e-7f1f3c2a9d01,,02:00:0a:00:01:0a 10.0.1.10 10.0.1.11,02:00:0a:00:01:0a 10.0.1.10 10.0.1.11,"hostname=""vm-a""",',
      'gw-vpc-a,router,router,,router-port=lrp-gw-vpc-a,',
      'ln-ext-1,localnet,unknown,,network_name=provider,100',
      'rp-subnet-a,router,router,,router-port=lrp-subnet-a,',
    ]);
    // The port gets the subnet's DHCP row; hostname is a quoted string in its options.
    expect(await central.nbctl('get', 'Logical_Switch_Port', port.interfaceId, 'options:hostname')).toBe(
      '"\\"vm-a\\""\n',
    );
    const dhcpUuid = (
      await central.nbctl('--bare', '--columns=_uuid', 'find', 'DHCP_Options', 'cidr="10.0.1.0/24"')
    ).trim();
    expect(
      (await central.nbctl('get', 'Logical_Switch_Port', port.interfaceId, 'dhcpv4_options')).trim(),
    ).toBe(dhcpUuid);
    expect(await central.nbctl('get', 'DHCP_Options', dhcpUuid, 'options')).toBe(
      '{dns_server="{10.0.0.2}", lease_time="86400", mtu="1400", router="10.0.1.1", server_id="10.0.1.1", server_mac="02:00:0a:00:01:01"}\n',
    );
    expect(await central.nbctl('acl-list', 'pg_sg_a')).toBe(
      'from-lport  1002 (inport == @pg_sg_a && ip4) allow-related\n  to-lport  1101 (outport == @pg_sg_a && ip4 && tcp && tcp.dst == 22) allow-related\n',
    );
    expect(await central.nbctl('acl-list', 'kumo_default_drop')).toContain(
      'from-lport  1001 (inport == @kumo_default_drop && ip) drop',
    );
    const lspUuid = (await central.nbctl('get', 'Logical_Switch_Port', port.interfaceId, '_uuid')).trim();
    for (const pg of ['pg_sg_a', 'kumo_default_drop'])
      expect((await central.nbctl('get', 'Port_Group', pg, 'ports')).trim()).toBe(`[${lspUuid}]`);
    expect(await central.nbctl('lr-nat-list', 'kumo-vpc-a')).toMatch(
      /dnat_and_snat\s+192\.0\.2\.50\s+10\.0\.1\.10[\s\S]*snat\s+192\.0\.2\.10\s+10\.0\.1\.0\/24/,
    );
    expect(await central.nbctl('lr-route-list', 'kumo-vpc-a')).toMatch(/0\.0\.0\.0\/0\s+192\.0\.2\.1/);
    expect(await column(central, 'Gateway_Chassis', 'chassis_name,priority')).toEqual(['gw-1,2', 'gw-2,1']);
    expect(await column(central, 'QoS', 'match,bandwidth')).toEqual([
      '"inport == ""gw-vpc-a"" && ip4.src == 192.0.2.50",burst=20000 rate=20000',
      '"inport == ""ln-ext-1"" && ip4.dst == 192.0.2.50",burst=20000 rate=20000',
    ]);
    expect(await plane.inventory()).toEqual({
      vpcs: ['vpc-a'],
      subnets: ['subnet-a'],
      ports: ['port-a'],
      securityGroups: ['sg-a'],
      elasticIps: ['eip-1'],
      externalNetworks: ['ext-1'],
      vpcGateways: ['vpc-a'],
    });
  });

  it('is idempotent: running every ensure again leaves every row (and UUID) as it was', async () => {
    const before = await dump();
    await ensureAll();
    expect(await dump()).toEqual(before);
  });

  it('repairs drifted columns and membership', async () => {
    const look = async () => ({
      lsp: await central.nbctl(
        '--data=bare',
        '--no-headings',
        '--columns=addresses,port_security',
        'list',
        'Logical_Switch_Port',
        port.interfaceId,
      ),
      groups: [
        await central.nbctl('get', 'Port_Group', 'pg_sg_a', 'ports'),
        await central.nbctl('get', 'Port_Group', 'kumo_default_drop', 'ports'),
      ],
      acls: await central.nbctl('acl-list', 'pg_sg_a'),
      nat: await central.nbctl('lr-nat-list', 'kumo-vpc-a'),
      chassis: await column(central, 'Gateway_Chassis', 'chassis_name,priority'),
      dhcp: await column(central, 'DHCP_Options', 'options'),
    });
    const before = await look();
    await central.nbctl('lsp-set-port-security', port.interfaceId, '02:00:0a:00:01:0a');
    await central.nbctl(
      'set',
      'Logical_Switch_Port',
      port.interfaceId,
      'addresses="02:00:0a:00:01:0a 10.0.1.99"',
    );
    await central.nbctl('clear', 'Port_Group', 'pg_sg_a', 'ports');
    await central.nbctl('clear', 'Port_Group', 'kumo_default_drop', 'ports');
    await central.nbctl(
      'acl-del',
      'pg_sg_a',
      'to-lport',
      '1101',
      'outport == @pg_sg_a && ip4 && tcp && tcp.dst == 22',
    );
    await central.nbctl(
      'acl-add',
      'pg_sg_a',
      'to-lport',
      '1500',
      'outport == @pg_sg_a && ip4',
      'allow-related',
    );
    const natId = (
      await central.nbctl('--bare', '--columns=_uuid', 'find', 'NAT', 'type=dnat_and_snat')
    ).trim();
    await central.nbctl('set', 'NAT', natId, 'logical_ip=10.0.1.77');
    await central.nbctl('lrp-set-gateway-chassis', 'lrp-gw-vpc-a', 'rogue', '9');
    const dhcpId = (await central.nbctl('--bare', '--columns=_uuid', 'list', 'DHCP_Options')).trim();
    await central.nbctl('set', 'DHCP_Options', dhcpId, 'options:router=10.0.1.200');
    expect(await look()).not.toEqual(before);
    await ensureAll();
    expect(await look()).toEqual(before);
  });

  it('moves an EIP to another address in place, and rewrites a changed rule set', async () => {
    const natBefore = await column(central, 'NAT', '_uuid,type');
    await plane.ensurePort({
      ...port,
      id: 'port-b',
      interfaceId: '6b1c52a0-0c4e-4a43-9b5e-7f1f3c2a9d02',
      mac: '02:00:0a:00:01:0b',
      ips: ['10.0.1.20'],
    });
    await plane.ensureElasticIp({ ...eip, portId: 'port-b', logicalIp: '10.0.1.20' });
    expect(await column(central, 'NAT', '_uuid,type')).toEqual(natBefore);
    expect(await central.nbctl('lr-nat-list', 'kumo-vpc-a')).toMatch(/192\.0\.2\.50\s+10\.0\.1\.20/);
    await plane.ensureSecurityGroup({ ...sg, rules: [sg.rules[1]!] });
    expect(await central.nbctl('acl-list', 'pg_sg_a')).toBe(
      'from-lport  1002 (inport == @pg_sg_a && ip4) allow-related\n',
    );
    await plane.ensureSecurityGroup(sg);
  });
});

describe('refusals leave the database unchanged', () => {
  it.each([
    ['a VPC id with a quote', () => plane.ensureVpc({ id: 'vpc"x', cidr: '10.0.0.0/16' })],
    ['a subnet gateway outside its CIDR', () => plane.ensureSubnet({ ...subnet, gateway: '10.0.2.1' })],
    ['a subnet MAC that is not one', () => plane.ensureSubnet({ ...subnet, gatewayMac: 'zz' })],
    ['a port address outside the subnet', () => plane.ensurePort({ ...port, ips: ['10.0.9.9'] })],
    ['a port interface id that is not a UUID', () => plane.ensurePort({ ...port, interfaceId: 'eth0' })],
    [
      'six security groups',
      () => plane.ensurePort({ ...port, securityGroupIds: ['a', 'b', 'c', 'd', 'e', 'f'] }),
    ],
    ['a hostname with a quote', () => plane.ensurePort({ ...port, hostname: 'vm"; x' })],
    [
      'a rule with ports on icmp',
      () => plane.ensureSecurityGroup({ ...sg, rules: [{ ...sg.rules[0]!, protocol: 'icmp' }] }),
    ],
    ['an EIP that is not an address', () => plane.ensureElasticIp({ ...eip, ip: '192.0.2.300' })],
    ['a VLAN out of range', () => plane.ensureExternalNetwork({ ...ext, vlan: 5000 })],
  ])('input: %s', async (_, call) => {
    const before = await dump();
    await expect(call()).rejects.toBeInstanceOf(PlaneInputError);
    expect(await dump()).toEqual(before);
  });

  it.each([
    [
      'a subnet of an unknown VPC',
      () => plane.ensureSubnet({ ...subnet, id: 'subnet-x', vpcId: 'vpc-none' }),
      'missing-prerequisite',
    ],
    [
      'a port in an unknown group',
      () => plane.ensurePort({ ...port, securityGroupIds: ['sg-none'] }),
      'missing-prerequisite',
    ],
    ['an interface id owned by another port', () => plane.ensurePort({ ...port, id: 'port-c' }), 'conflict'],
    ['removing a VPC that has subnets', () => plane.removeVpc('vpc-a'), 'has-dependents'],
    ['removing a subnet that has ports', () => plane.removeSubnet('subnet-a'), 'has-dependents'],
    [
      'removing an external network with gateways',
      () => plane.removeExternalNetwork('ext-1'),
      'has-dependents',
    ],
  ])('state: %s', async (_, call, reason) => {
    const before = await dump();
    await expect(call()).rejects.toMatchObject({ name: PlaneStateError.name, reason });
    expect(await dump()).toEqual(before);
  });
});

describe('waitPortUp', () => {
  it('resolves when OVN marks the port up and times out otherwise', async () => {
    // northd would reset `up` at once (no chassis binds this port), and ovsdb-server may fold
    // both changes into one update; the end-to-end test sees real ports come up.
    process.kill(Number(readFileSync(`${central.root}/run/northd.pid`, 'utf8')));
    await expect(plane.waitPortUp('port-a', 100)).rejects.toBeInstanceOf(PortUpTimeoutError);
    const waiting = plane.waitPortUp('port-a', 5000);
    // ovn-northd writes `up` from the southbound binding; written here directly, as it would.
    await central.nbctl('set', 'Logical_Switch_Port', port.interfaceId, 'up=true');
    await expect(waiting).resolves.toBeUndefined();
  });
});

describe('remove', () => {
  it('removes exactly what each object owns, in dependency order, to an empty database', async () => {
    await plane.removeElasticIp('eip-1');
    expect(await column(central, 'QoS', '_uuid')).toEqual([]);
    expect(await central.nbctl('lr-nat-list', 'kumo-vpc-a')).not.toContain('dnat_and_snat');
    await plane.removePort('port-b');
    await plane.removePort('port-a');
    expect((await central.nbctl('get', 'Port_Group', 'pg_sg_a', 'ports')).trim()).toBe('[]');
    await plane.removeSecurityGroup('sg-a');
    await plane.removeSubnet('subnet-a');
    // The router and its gateway are untouched by the subnet's removal; only the subnet's SNAT went.
    expect(await column(central, 'Logical_Router_Port', 'name')).toEqual(['lrp-gw-vpc-a']);
    expect(await central.nbctl('lr-nat-list', 'kumo-vpc-a')).not.toContain('snat');
    await plane.removeVpcGateway('vpc-a');
    expect(await column(central, 'Logical_Switch_Port', 'name')).toEqual(['ln-ext-1']);
    await plane.removeVpc('vpc-a');
    await plane.removeExternalNetwork('ext-1');
    const d = await dump();
    for (const t of TABLES)
      expect([t, d[t]!.length]).toEqual([t, ['Port_Group', 'ACL'].includes(t) ? d[t]!.length : 0]);
    expect(await column(central, 'Port_Group', 'name')).toEqual(['kumo_default_drop']);
    expect(await plane.inventory()).toEqual({
      vpcs: [],
      subnets: [],
      ports: [],
      securityGroups: [],
      elasticIps: [],
      externalNetworks: [],
      vpcGateways: [],
    });
  });

  it('treats removing absent objects as done', async () => {
    await plane.removeElasticIp('eip-1');
    await plane.removePort('port-a');
    await plane.removeSecurityGroup('sg-a');
    await plane.removeSubnet('subnet-a');
    await plane.removeVpcGateway('vpc-a');
    await plane.removeVpc('vpc-a');
    await plane.removeExternalNetwork('ext-1');
  });
});

describe('reconnect', () => {
  it('replaces a connection the server dropped on the next call', async () => {
    await plane.ensureVpc(vpc);
    // ovsdb-server/reconnect drops every client connection on the server side.
    const ctl = `${central.root}/run/nb.ctl`;
    const { sh } = await import('./central.js');
    await sh('ovs-appctl', ['-t', ctl, 'ovsdb-server/reconnect']);
    // The raw client (connected the same way) sees the drop, so the plane's connection was cut too.
    await expect(raw.echo().catch((e: unknown) => e)).resolves.toMatchObject({ kind: 'connection-closed' });
    // The first call may fail (its connection was cut); the next one reconnects.
    await plane.inventory().catch(() => undefined);
    expect((await plane.inventory()).vpcs).toEqual(['vpc-a']);
    await plane.removeVpc('vpc-a');
  });
});
