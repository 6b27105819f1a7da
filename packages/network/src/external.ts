// The provider side: external networks (a switch with a localnet port to a bridge mapping), a VPC's
// gateway on one (router port with gateway chassis, default route, SNAT per subnet) and elastic IPs
// (dnat_and_snat on the VPC router, QoS on the external switch). One read, one write per call.
import { byUuid, eq, map, op, recordOf, set, type Row } from '@kumo/ovsdb';
import { eipQos } from './acl.js';
import type { Db } from './db.js';
import { PlaneInputError, PlaneStateError } from './errors.js';
import { snatRow } from './logical.js';
import {
  K,
  Kind,
  externalSwitchName,
  gatewayRouterPortName,
  gatewaySwitchPortName,
  localnetPortName,
  routerName,
} from './names.js';
import type { PlaneElasticIp, PlaneExternalNetwork, PlaneVpcGateway } from './plane.js';
import { WriteTx, mapKey, syncChildren, tagged } from './tx.js';
import {
  checkChassis,
  checkCidr,
  checkId,
  checkInt,
  checkIp,
  checkIpIn,
  checkMac,
  checkPhysicalNetwork,
} from './validate.js';

const ID = ['_uuid'];
const byName = (table: string, name: string, columns = ID) => op.select(table, [eq('name', name)], columns);
const CHASSIS_KEY = 'kumo:gateway-chassis';

export async function ensureExternalNetwork(db: Db, n: PlaneExternalNetwork): Promise<void> {
  const id = checkId('externalNetwork.id', n.id);
  const cidr = checkCidr('externalNetwork.cidr', n.cidr);
  const gateway = checkIpIn('externalNetwork.gateway', n.gateway, cidr);
  const physnet = checkPhysicalNetwork('externalNetwork.physicalNetwork', n.physicalNetwork);
  const vlan = n.vlan === undefined ? undefined : checkInt('externalNetwork.vlan', n.vlan, 1, 4094);
  if (!Array.isArray(n.gatewayChassis))
    throw new PlaneInputError('externalNetwork.gatewayChassis', 'must be a list');
  const chassis = n.gatewayChassis.map((c, i) => checkChassis(`externalNetwork.gatewayChassis[${i}]`, c));
  const [switches, lnPorts] = await db.read([
    byName('Logical_Switch', externalSwitchName(id)),
    byName('Logical_Switch_Port', localnetPortName(id)),
  ]);
  const tx = new WriteTx();
  const ln = tx.upsert('Logical_Switch_Port', lnPorts![0], {
    name: localnetPortName(id),
    type: 'localnet',
    addresses: 'unknown',
    options: map({ network_name: physnet }),
    tag: set(vlan === undefined ? [] : [vlan]),
    external_ids: map({ [K.kind]: Kind.localnet, [K.extNet]: id }),
  });
  const ids = map({
    [K.kind]: Kind.extNet,
    [K.extNet]: id,
    [K.cidr]: cidr.text,
    [K.gateway]: gateway,
    // Read by ensureVpcGateway: changing the chassis list takes effect when gateways are re-ensured.
    [CHASSIS_KEY]: chassis.join(','),
  });
  const ls = switches![0];
  if (ls) {
    tx.upsert('Logical_Switch', ls, { external_ids: ids });
    tx.attach('Logical_Switch', [byUuid(ls._uuid!)], 'ports', ln);
  } else tx.insertNamed('Logical_Switch', externalSwitchName(id), { ports: set([ln]), external_ids: ids });
  await db.write(tx);
}

/** Removes the external switch; refused while VPC gateways are on it. */
export async function removeExternalNetwork(db: Db, netId: string): Promise<void> {
  const id = checkId('externalNetworkId', netId);
  const [switches, gateways] = await db.read([
    byName('Logical_Switch', externalSwitchName(id)),
    op.select('Logical_Router_Port', [tagged({ [K.kind]: Kind.gateway, [K.extNet]: id })], ['name']),
  ]);
  if (gateways!.length) {
    const names = gateways!.map((g) => String(g.name)).join(', ');
    throw new PlaneStateError('has-dependents', `external network ${id} still has VPC gateways (${names})`);
  }
  const tx = new WriteTx();
  for (const s of switches!) tx.delete('Logical_Switch', s._uuid!);
  await db.write(tx);
}

export async function ensureVpcGateway(db: Db, gw: PlaneVpcGateway): Promise<void> {
  const vpcId = checkId('gateway.vpcId', gw.vpcId);
  const netId = checkId('gateway.externalNetworkId', gw.externalNetworkId);
  const mac = checkMac('gateway.mac', gw.mac);
  const lrpName = gatewayRouterPortName(vpcId);
  const [routers, extSwitches, lrps, chassisRows, lsps, routes, subnets, snats] = await db.read([
    byName('Logical_Router', routerName(vpcId)),
    byName('Logical_Switch', externalSwitchName(netId), ['_uuid', 'external_ids']),
    byName('Logical_Router_Port', lrpName),
    op.select(
      'Gateway_Chassis',
      [tagged({ [K.kind]: Kind.gateway, [K.vpc]: vpcId })],
      ['_uuid', 'name', 'chassis_name', 'priority'],
    ),
    byName('Logical_Switch_Port', gatewaySwitchPortName(vpcId)),
    op.select('Logical_Router_Static_Route', [tagged({ [K.kind]: Kind.defaultRoute, [K.vpc]: vpcId })], ID),
    op.select('Logical_Switch', [tagged({ [K.kind]: Kind.subnet, [K.vpc]: vpcId })], ['external_ids']),
    op.select('NAT', [tagged({ [K.kind]: Kind.snat, [K.vpc]: vpcId })], ['_uuid', 'external_ids']),
  ]);
  const lr = routers![0];
  const ext = extSwitches![0];
  if (!lr)
    throw new PlaneStateError(
      'missing-prerequisite',
      `gateway: VPC ${vpcId} has no router (ensureVpc first)`,
    );
  if (!ext)
    throw new PlaneStateError('missing-prerequisite', `gateway: external network ${netId} is not in OVN`);
  const extIds = recordOf(ext.external_ids);
  const extCidr = checkCidr('external network cidr in OVN', extIds[K.cidr]);
  const ip = checkIpIn('gateway.ip', gw.ip, extCidr);
  const upstream = checkIp('external network gateway in OVN', extIds[K.gateway]);
  const chassis = (extIds[CHASSIS_KEY] ?? '').split(',').filter(Boolean);
  const atRouter = [byUuid(lr._uuid!)];
  const tx = new WriteTx();

  // Highest priority first, as the external network lists them.
  const wantedChassis: Row[] = chassis.map((c, i) => ({
    name: `${lrpName}_${c}`,
    chassis_name: c,
    priority: chassis.length - i,
    external_ids: map({ [K.kind]: Kind.gateway, [K.vpc]: vpcId }),
  }));
  const gc = syncChildren(
    chassisRows!,
    wantedChassis,
    (r) => `${String(r.name)}|${String(r.chassis_name)}|${String(r.priority)}`,
  );
  const lrp = lrps![0];
  const lrpRef = tx.upsert('Logical_Router_Port', lrp, {
    name: lrpName,
    mac,
    networks: set([`${ip}/${extCidr.prefix}`]),
    gateway_chassis: set([...gc.keep, ...gc.add.map((r) => tx.insert('Gateway_Chassis', r))]),
    external_ids: map({ [K.kind]: Kind.gateway, [K.vpc]: vpcId, [K.extNet]: netId }),
  });
  if (lrp) tx.detach('Logical_Router', 'ports', lrp._uuid!);
  tx.attach('Logical_Router', atRouter, 'ports', lrpRef);

  const lsp = lsps![0];
  const lspRef = tx.upsert('Logical_Switch_Port', lsp, {
    name: gatewaySwitchPortName(vpcId),
    type: 'router',
    addresses: 'router',
    options: map({ 'router-port': lrpName }),
    external_ids: map({ [K.kind]: Kind.gateway, [K.vpc]: vpcId, [K.extNet]: netId }),
  });
  if (lsp) tx.detach('Logical_Switch', 'ports', lsp._uuid!);
  tx.attach('Logical_Switch', [byUuid(ext._uuid!)], 'ports', lspRef);

  const [route, ...extraRoutes] = routes!;
  for (const r of extraRoutes) tx.detach('Logical_Router', 'static_routes', r._uuid!);
  const routeRef = tx.upsert('Logical_Router_Static_Route', route, {
    ip_prefix: '0.0.0.0/0',
    nexthop: upstream,
    external_ids: map({ [K.kind]: Kind.defaultRoute, [K.vpc]: vpcId }),
  });
  tx.attach('Logical_Router', atRouter, 'static_routes', routeRef);

  // One SNAT per subnet of the VPC, to the gateway's address.
  const bySubnet = new Map(snats!.map((n) => [recordOf(n.external_ids)[K.subnet], n]));
  for (const s of subnets!) {
    const sids = recordOf(s.external_ids);
    const subnetId = sids[K.subnet]!;
    const ref = tx.upsert('NAT', bySubnet.get(subnetId), snatRow(subnetId, vpcId, ip, sids[K.cidr]!));
    bySubnet.delete(subnetId);
    tx.attach('Logical_Router', atRouter, 'nat', ref);
  }
  for (const n of bySubnet.values()) tx.detach('Logical_Router', 'nat', n._uuid!);
  await db.write(tx);
}

export async function removeVpcGateway(db: Db, vpcId: string): Promise<void> {
  const id = checkId('vpcId', vpcId);
  const [lrps, lsps, routes, snats] = await db.read([
    byName('Logical_Router_Port', gatewayRouterPortName(id)),
    byName('Logical_Switch_Port', gatewaySwitchPortName(id)),
    op.select('Logical_Router_Static_Route', [tagged({ [K.kind]: Kind.defaultRoute, [K.vpc]: id })], ID),
    op.select('NAT', [tagged({ [K.kind]: Kind.snat, [K.vpc]: id })], ID),
  ]);
  const tx = new WriteTx();
  for (const p of lrps!) tx.detach('Logical_Router', 'ports', p._uuid!);
  for (const p of lsps!) tx.detach('Logical_Switch', 'ports', p._uuid!);
  for (const r of routes!) tx.detach('Logical_Router', 'static_routes', r._uuid!);
  for (const n of snats!) tx.detach('Logical_Router', 'nat', n._uuid!);
  await db.write(tx);
}

export async function ensureElasticIp(db: Db, e: PlaneElasticIp): Promise<void> {
  const id = checkId('elasticIp.id', e.id);
  const vpcId = checkId('elasticIp.vpcId', e.vpcId);
  const ip = checkIp('elasticIp.ip', e.ip);
  const portId = checkId('elasticIp.portId', e.portId);
  const logicalIp = checkIp('elasticIp.logicalIp', e.logicalIp);
  const [routers, gateways, nats, qosRows] = await db.read([
    byName('Logical_Router', routerName(vpcId)),
    byName('Logical_Router_Port', gatewayRouterPortName(vpcId), ['external_ids']),
    op.select('NAT', [tagged({ [K.kind]: Kind.eip, [K.eip]: id })], ID),
    op.select(
      'QoS',
      [tagged({ [K.kind]: Kind.eip, [K.eip]: id })],
      ['_uuid', 'direction', 'priority', 'match', 'bandwidth', 'external_ids'],
    ),
  ]);
  const lr = routers![0];
  const netId = gateways![0] ? recordOf(gateways![0].external_ids)[K.extNet] : undefined;
  if (!lr || !netId)
    throw new PlaneStateError(
      'missing-prerequisite',
      `elastic IP ${id}: VPC ${vpcId} has no gateway (ensureVpcGateway first)`,
    );
  const tx = new WriteTx();
  const [nat, ...extraNats] = nats!;
  for (const n of extraNats) tx.detach('Logical_Router', 'nat', n._uuid!);
  // Moving an EIP to another port rewrites logical_ip in place (the row and its flows stay).
  const natRef = tx.upsert('NAT', nat, {
    type: 'dnat_and_snat',
    external_ip: ip,
    logical_ip: logicalIp,
    external_ids: map({ [K.kind]: Kind.eip, [K.eip]: id, [K.vpc]: vpcId, [K.port]: portId }),
  });
  if (nat) tx.detach('Logical_Router', 'nat', nat._uuid!);
  tx.attach('Logical_Router', [byUuid(lr._uuid!)], 'nat', natRef);

  const wanted: Row[] = eipQos({
    eipId: id,
    vpcId,
    ip,
    bandwidthMbps: e.bandwidthMbps,
    localnetPort: localnetPortName(netId),
    gatewayPort: gatewaySwitchPortName(vpcId),
  }).map((q) => ({
    direction: q.direction,
    priority: q.priority,
    match: q.match,
    bandwidth: map({ rate: q.rate, burst: q.burst }),
    external_ids: map(q.externalIds),
  }));
  const key = (r: Row) =>
    [r.direction, r.priority, r.match, mapKey(r.bandwidth), mapKey(r.external_ids)].join('|');
  const q = syncChildren(qosRows!, wanted, key);
  for (const d of q.drop) tx.detach('Logical_Switch', 'qos_rules', d);
  for (const r of q.add)
    tx.attach('Logical_Switch', [eq('name', externalSwitchName(netId))], 'qos_rules', tx.insert('QoS', r));
  await db.write(tx);
}

export async function removeElasticIp(db: Db, eipId: string): Promise<void> {
  const id = checkId('eipId', eipId);
  const [nats, qosRows] = await db.read([
    op.select('NAT', [tagged({ [K.kind]: Kind.eip, [K.eip]: id })], ID),
    op.select('QoS', [tagged({ [K.kind]: Kind.eip, [K.eip]: id })], ID),
  ]);
  const tx = new WriteTx();
  for (const n of nats!) tx.detach('Logical_Router', 'nat', n._uuid!);
  for (const r of qosRows!) tx.detach('Logical_Switch', 'qos_rules', r._uuid!);
  await db.write(tx);
}
