// Security groups and ports: a port group with ACLs per group (plus the global default-drop group
// every port joins), and a logical switch port per network interface with port security and the
// subnet's DHCP options. One read, then one write transaction per call.
import { byUuid, eq, map, op, recordOf, set, type Row, type SelectedRow } from '@kumo/ovsdb';
import { defaultDropAcls, groupAcls, type AclSpec } from './acl.js';
import type { Db } from './db.js';
import { PlaneInputError, PlaneStateError } from './errors.js';
import { DEFAULT_DROP_GROUP, K, Kind, portGroupName, switchName } from './names.js';
import type { PlanePort, PlaneSecurityGroup } from './plane.js';
import { WriteTx, mapKey, syncChildren, tagged, type Ref } from './tx.js';
import {
  checkChassis,
  checkCidr,
  checkHostname,
  checkId,
  checkIpIn,
  checkMac,
  checkUuid,
} from './validate.js';

const ID = ['_uuid'];
const ACL_COLUMNS = ['_uuid', 'direction', 'priority', 'match', 'action', 'external_ids'];
/** JD allows at most 5 security groups on an interface. */
const MAX_GROUPS = 5;

function aclRow(a: AclSpec): Row {
  return {
    direction: a.direction,
    priority: a.priority,
    match: a.match,
    action: a.action,
    external_ids: map(a.externalIds),
  };
}

const aclKey = (r: Row): string =>
  [r.direction, r.priority, r.match, r.action, mapKey(r.external_ids)].join('|');

/** Writes a group's ACL set: unchanged ACLs keep their rows, the rest are inserted; returns the set. */
function syncAcls(tx: WriteTx, existing: SelectedRow[], wanted: AclSpec[]): Ref[] {
  const s = syncChildren(existing, wanted.map(aclRow), aclKey);
  // Dropped ACLs are simply left out of the group's set; OVSDB garbage-collects unreferenced ACLs.
  return [...s.keep, ...s.add.map((r) => tx.insert('ACL', r))];
}

export async function ensureSecurityGroup(db: Db, g: PlaneSecurityGroup): Promise<void> {
  const id = checkId('group.id', g.id);
  const vpcId = checkId('group.vpcId', g.vpcId);
  if (!Array.isArray(g.rules)) throw new PlaneInputError('group.rules', 'must be a list');
  const acls = groupAcls(id, g.rules);
  const name = portGroupName(id);
  const [groups, existing] = await db.read([
    op.select('Port_Group', [eq('name', name)], ID),
    op.select('ACL', [tagged({ [K.kind]: Kind.sg, [K.sg]: id })], ACL_COLUMNS),
  ]);
  const tx = new WriteTx();
  const row = {
    acls: set(syncAcls(tx, existing!, acls)),
    external_ids: map({ [K.kind]: Kind.sg, [K.sg]: id, [K.vpc]: vpcId }),
  };
  // Only acls and external_ids are written: membership (ports) belongs to ensurePort.
  if (groups![0]) tx.upsert('Port_Group', groups![0], row);
  else tx.insertNamed('Port_Group', name, row);
  await db.write(tx);
}

export async function removeSecurityGroup(db: Db, groupId: string): Promise<void> {
  const id = checkId('groupId', groupId);
  const [groups] = await db.read([op.select('Port_Group', [eq('name', portGroupName(id))], ID)]);
  const tx = new WriteTx();
  for (const g of groups!) tx.delete('Port_Group', g._uuid!);
  await db.write(tx);
}

function checkPort(p: PlanePort) {
  const id = checkId('port.id', p.id);
  const interfaceId = checkUuid('port.interfaceId', p.interfaceId);
  const subnetId = checkId('port.subnetId', p.subnetId);
  const mac = checkMac('port.mac', p.mac);
  if (!Array.isArray(p.ips) || p.ips.length === 0)
    throw new PlaneInputError('port.ips', 'needs at least the primary address');
  if (new Set(p.ips).size !== p.ips.length) throw new PlaneInputError('port.ips', 'has duplicates');
  if (!Array.isArray(p.securityGroupIds))
    throw new PlaneInputError('port.securityGroupIds', 'must be a list');
  if (p.securityGroupIds.length > MAX_GROUPS)
    throw new PlaneInputError('port.securityGroupIds', `at most ${MAX_GROUPS}`);
  const groups = [...new Set(p.securityGroupIds.map((g, i) => checkId(`port.securityGroupIds[${i}]`, g)))];
  const hostname = p.hostname === undefined ? undefined : checkHostname('port.hostname', p.hostname);
  const chassis = p.chassis === undefined ? undefined : checkChassis('port.chassis', p.chassis);
  return { id, interfaceId, subnetId, mac, groups, hostname, chassis };
}

export async function ensurePort(db: Db, p: PlanePort): Promise<{ interfaceId: string }> {
  const v = checkPort(p);
  const [switches, dhcps, byNameRows, byTag, dropGroups, dropAcls, ...groups] = await db.read([
    op.select('Logical_Switch', [eq('name', switchName(v.subnetId))], ['_uuid', 'external_ids']),
    op.select('DHCP_Options', [tagged({ [K.kind]: Kind.subnet, [K.subnet]: v.subnetId })], ID),
    op.select('Logical_Switch_Port', [eq('name', v.interfaceId)], ['_uuid', 'external_ids']),
    op.select('Logical_Switch_Port', [tagged({ [K.kind]: Kind.port, [K.port]: v.id })], ['_uuid', 'name']),
    op.select('Port_Group', [eq('name', DEFAULT_DROP_GROUP)], ID),
    op.select('ACL', [tagged({ [K.kind]: Kind.defaultDrop })], ACL_COLUMNS),
    ...v.groups.map((g) => op.select('Port_Group', [eq('name', portGroupName(g))], ID)),
  ]);
  const ls = switches![0];
  const dhcp = dhcps![0];
  if (!ls || !dhcp)
    throw new PlaneStateError(
      'missing-prerequisite',
      `port ${v.id}: subnet ${v.subnetId} is not in OVN (ensureSubnet first)`,
    );
  const missing = v.groups.filter((_, i) => !groups[i]![0]);
  if (missing.length)
    throw new PlaneStateError(
      'missing-prerequisite',
      `port ${v.id}: security groups not in OVN: ${missing.join(', ')}`,
    );
  const cidr = checkCidr('subnet cidr in OVN', recordOf(ls.external_ids)[K.cidr]);
  const ips = p.ips.map((ip, i) => checkIpIn(`port.ips[${i}]`, ip, cidr));
  const current = byNameRows![0];
  const owner = current ? recordOf(current.external_ids)[K.port] : undefined;
  if (current && owner !== v.id) {
    throw new PlaneStateError(
      'conflict',
      `interface ${v.interfaceId} already belongs to ${owner ?? 'a port Kumo does not own'}`,
    );
  }

  const tx = new WriteTx();
  // A row of this port under another interface id is stale (the id changed): it goes.
  for (const stale of byTag!)
    if (String(stale.name) !== v.interfaceId) tx.detach('Logical_Switch', 'ports', stale._uuid!);
  const addresses = `${v.mac} ${ips.join(' ')}`;
  const row: Row = {
    addresses,
    // Anti-spoofing: the port may only send from its own MAC and addresses.
    port_security: addresses,
    dhcpv4_options: dhcp._uuid!,
    // OVN parses DHCP option values: a bare host name breaks DHCP for the port; it must be quoted.
    options: map({
      ...(v.hostname ? { hostname: `"${v.hostname}"` } : {}),
      ...(v.chassis ? { 'requested-chassis': v.chassis } : {}),
    }),
    external_ids: map({ [K.kind]: Kind.port, [K.port]: v.id, [K.subnet]: v.subnetId }),
  };
  const ref = current
    ? tx.upsert('Logical_Switch_Port', current, row)
    : tx.insert('Logical_Switch_Port', { ...row, name: v.interfaceId });
  if (current) {
    // Membership is rewritten from scratch in this transaction: out of every switch and group,
    // then into the wanted ones (the committed diff is empty when nothing changed).
    tx.detach('Logical_Switch', 'ports', current._uuid!);
    tx.detach('Port_Group', 'ports', current._uuid!);
  }
  tx.attach('Logical_Switch', [byUuid(ls._uuid!)], 'ports', ref);
  for (const g of groups) tx.attach('Port_Group', [byUuid(g[0]!._uuid!)], 'ports', ref);

  const dropRow = {
    acls: set(syncAcls(tx, dropAcls!, defaultDropAcls())),
    external_ids: map({ [K.kind]: Kind.defaultDrop }),
  };
  const drop = dropGroups![0];
  if (drop) {
    tx.upsert('Port_Group', drop, dropRow);
    tx.attach('Port_Group', [byUuid(drop._uuid!)], 'ports', ref);
  } else tx.insertNamed('Port_Group', DEFAULT_DROP_GROUP, { ...dropRow, ports: set([ref]) });
  await db.write(tx);
  return { interfaceId: v.interfaceId };
}

export async function removePort(db: Db, portId: string): Promise<void> {
  const id = checkId('portId', portId);
  const [rows] = await db.read([
    op.select('Logical_Switch_Port', [tagged({ [K.kind]: Kind.port, [K.port]: id })], ID),
  ]);
  const tx = new WriteTx();
  // Unreferenced, the port row is garbage-collected; port groups hold it weakly and drop it too.
  for (const r of rows!) tx.detach('Logical_Switch', 'ports', r._uuid!);
  await db.write(tx);
}
