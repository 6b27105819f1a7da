// VPCs and subnets: a logical router per VPC; per subnet a logical switch, the router's port in it
// (and the switch's router-type port facing it), one DHCP_Options row, and the subnet's SNAT when
// the VPC has a gateway. One read, then one write transaction per call.
import { byUuid, eq, map, op, set, stringsOf } from '@kumo/ovsdb';
import type { Db } from './db.js';
import { PlaneInputError, PlaneStateError } from './errors.js';
import {
  K,
  Kind,
  gatewayRouterPortName,
  routerName,
  subnetRouterPortName,
  subnetSwitchPortName,
  switchName,
} from './names.js';
import type { PlaneSubnet, PlaneVpc } from './plane.js';
import { WriteTx, tagged } from './tx.js';
import { checkCidr, checkId, checkInt, checkIp, checkIpIn, checkMac, ipv4ToInt } from './validate.js';

const ID = ['_uuid'];
const byName = (table: string, name: string, columns = ID) => op.select(table, [eq('name', name)], columns);

export async function ensureVpc(db: Db, vpc: PlaneVpc): Promise<void> {
  const id = checkId('vpc.id', vpc.id);
  const cidr = checkCidr('vpc.cidr', vpc.cidr);
  const [routers] = await db.read([byName('Logical_Router', routerName(id))]);
  const lr = routers![0];
  const row = { external_ids: map({ [K.kind]: Kind.vpc, [K.vpc]: id, [K.cidr]: cidr.text }) };
  const tx = new WriteTx();
  if (lr) tx.upsert('Logical_Router', lr, row);
  else tx.insertNamed('Logical_Router', routerName(id), row);
  await db.write(tx);
}

/** Removes the router and what hangs on it (its gateway, routes, NAT); refused while subnets remain. */
export async function removeVpc(db: Db, vpcId: string): Promise<void> {
  const id = checkId('vpcId', vpcId);
  const [routers, subnets, gwPorts, qos] = await db.read([
    byName('Logical_Router', routerName(id)),
    op.select('Logical_Switch', [tagged({ [K.kind]: Kind.subnet, [K.vpc]: id })], ['name']),
    op.select('Logical_Switch_Port', [tagged({ [K.kind]: Kind.gateway, [K.vpc]: id })], ID),
    op.select('QoS', [tagged({ [K.kind]: Kind.eip, [K.vpc]: id })], ID),
  ]);
  if (subnets!.length) {
    const names = subnets!.map((s) => String(s.name)).join(', ');
    throw new PlaneStateError('has-dependents', `VPC ${id} still has subnets (${names})`);
  }
  const tx = new WriteTx();
  // The router's own children (ports, routes, NAT, gateway chassis) go with it; the rows it owns on
  // the shared external switch (its gateway port, its EIPs' QoS) are detached explicitly.
  for (const p of gwPorts!) tx.detach('Logical_Switch', 'ports', p._uuid!);
  for (const q of qos!) tx.detach('Logical_Switch', 'qos_rules', q._uuid!);
  for (const r of routers!) tx.delete('Logical_Router', r._uuid!);
  await db.write(tx);
}

/** Checks a subnet's fields; returns the values written. */
function checkSubnet(s: PlaneSubnet) {
  const id = checkId('subnet.id', s.id);
  const vpcId = checkId('subnet.vpcId', s.vpcId);
  const cidr = checkCidr('subnet.cidr', s.cidr);
  if (cidr.prefix < 8 || cidr.prefix > 30)
    throw new PlaneInputError('subnet.cidr', `prefix /${cidr.prefix} is outside /8../30`);
  const gateway = checkIpIn('subnet.gateway', s.gateway, cidr);
  const size = 2 ** (32 - cidr.prefix);
  const offset = ipv4ToInt(gateway)! - cidr.network;
  if (offset === 0 || offset === size - 1)
    throw new PlaneInputError('subnet.gateway', `${gateway} is the network or broadcast address`);
  const gatewayMac = checkMac('subnet.gatewayMac', s.gatewayMac);
  if (!Array.isArray(s.dnsServers)) throw new PlaneInputError('subnet.dnsServers', 'must be a list');
  const dns = s.dnsServers.map((d, i) => checkIp(`subnet.dnsServers[${i}]`, d));
  const mtu = checkInt('subnet.mtu', s.mtu, 576, 9000);
  return { id, vpcId, cidr, gateway, gatewayMac, dns, mtu };
}

/** The DHCP options OVN's native DHCP hands out for a subnet (values in OVN's own syntax). */
export function dhcpOptions(s: {
  gateway: string;
  gatewayMac: string;
  dns: string[];
  mtu: number;
}): Record<string, string> {
  const o: Record<string, string> = {
    router: s.gateway,
    server_id: s.gateway,
    server_mac: s.gatewayMac,
    lease_time: '86400',
    mtu: String(s.mtu),
  };
  if (s.dns.length) o.dns_server = `{${s.dns.join(', ')}}`;
  return o;
}

export async function ensureSubnet(db: Db, s: PlaneSubnet): Promise<void> {
  const v = checkSubnet(s);
  const lrpName = subnetRouterPortName(v.id);
  const subnetIds = { [K.subnet]: v.id, [K.vpc]: v.vpcId };
  const [routers, switches, lrps, rps, dhcps, gws, snats] = await db.read([
    byName('Logical_Router', routerName(v.vpcId)),
    byName('Logical_Switch', switchName(v.id)),
    byName('Logical_Router_Port', lrpName),
    byName('Logical_Switch_Port', subnetSwitchPortName(v.id)),
    op.select('DHCP_Options', [tagged({ [K.kind]: Kind.subnet, [K.subnet]: v.id })], ID),
    byName('Logical_Router_Port', gatewayRouterPortName(v.vpcId), ['networks']),
    op.select('NAT', [tagged({ [K.kind]: Kind.snat, [K.subnet]: v.id })], ID),
  ]);
  const lr = routers![0];
  if (!lr)
    throw new PlaneStateError(
      'missing-prerequisite',
      `subnet ${v.id}: VPC ${v.vpcId} has no router (ensureVpc first)`,
    );
  const tx = new WriteTx();
  const atRouter = [byUuid(lr._uuid!)];

  const lrp = lrps![0];
  const lrpRef = tx.upsert('Logical_Router_Port', lrp, {
    name: lrpName,
    mac: v.gatewayMac,
    networks: set([`${v.gateway}/${v.cidr.prefix}`]),
    external_ids: map({ [K.kind]: Kind.subnetRouterPort, ...subnetIds }),
  });
  // Detach-then-attach puts the port on this VPC's router even if it was on another one.
  if (lrp) tx.detach('Logical_Router', 'ports', lrp._uuid!);
  tx.attach('Logical_Router', atRouter, 'ports', lrpRef);

  const rpRef = tx.upsert('Logical_Switch_Port', rps![0], {
    name: subnetSwitchPortName(v.id),
    type: 'router',
    addresses: 'router',
    options: map({ 'router-port': lrpName }),
    external_ids: map({ [K.kind]: Kind.subnetRouterPort, ...subnetIds }),
  });
  const lsIds = map({ [K.kind]: Kind.subnet, ...subnetIds, [K.cidr]: v.cidr.text });
  const ls = switches![0];
  if (ls) {
    tx.upsert('Logical_Switch', ls, { external_ids: lsIds });
    tx.attach('Logical_Switch', [byUuid(ls._uuid!)], 'ports', rpRef);
  } else tx.insertNamed('Logical_Switch', switchName(v.id), { ports: set([rpRef]), external_ids: lsIds });

  const [dhcp, ...extraDhcp] = dhcps!;
  tx.upsert('DHCP_Options', dhcp, {
    cidr: v.cidr.text,
    options: map(dhcpOptions(v)),
    external_ids: map({ [K.kind]: Kind.subnet, ...subnetIds }),
  });
  for (const d of extraDhcp) tx.delete('DHCP_Options', d._uuid!);

  // The subnet leaves through the VPC gateway's address when the VPC has one.
  const gwIp = gws![0] ? stringsOf(gws![0].networks)[0]?.split('/')[0] : undefined;
  const [snat, ...extraSnat] = snats!;
  for (const n of gwIp ? extraSnat : snats!) tx.detach('Logical_Router', 'nat', n._uuid!);
  if (gwIp) {
    const ref = tx.upsert('NAT', snat, snatRow(v.id, v.vpcId, gwIp, v.cidr.text));
    tx.attach('Logical_Router', atRouter, 'nat', ref);
  }
  await db.write(tx);
}

/** The SNAT row of one subnet behind its VPC's gateway address. */
export function snatRow(subnetId: string, vpcId: string, gatewayIp: string, cidr: string) {
  return {
    type: 'snat',
    external_ip: gatewayIp,
    logical_ip: cidr,
    external_ids: map({ [K.kind]: Kind.snat, [K.subnet]: subnetId, [K.vpc]: vpcId }),
  };
}

/** Removes exactly the subnet's rows (switch, router port, DHCP options, SNAT); refused while ports remain. */
export async function removeSubnet(db: Db, subnetId: string): Promise<void> {
  const id = checkId('subnetId', subnetId);
  const [switches, ports, lrps, dhcps, snats] = await db.read([
    byName('Logical_Switch', switchName(id)),
    op.select('Logical_Switch_Port', [tagged({ [K.kind]: Kind.port, [K.subnet]: id })], ['name']),
    byName('Logical_Router_Port', subnetRouterPortName(id)),
    op.select('DHCP_Options', [tagged({ [K.kind]: Kind.subnet, [K.subnet]: id })], ID),
    op.select('NAT', [tagged({ [K.kind]: Kind.snat, [K.subnet]: id })], ID),
  ]);
  if (ports!.length) {
    throw new PlaneStateError(
      'has-dependents',
      `subnet ${id} still has ports (${ports!.map((p) => String(p.name)).join(', ')})`,
    );
  }
  const tx = new WriteTx();
  for (const s of switches!) tx.delete('Logical_Switch', s._uuid!);
  for (const p of lrps!) tx.detach('Logical_Router', 'ports', p._uuid!);
  for (const d of dhcps!) tx.delete('DHCP_Options', d._uuid!);
  for (const n of snats!) tx.detach('Logical_Router', 'nat', n._uuid!);
  await db.write(tx);
}
