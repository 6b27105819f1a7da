// The inventory: Kumo ids of every object in the NB database, found through external_ids only.
import { op, recordOf } from '@kumo/ovsdb';
import type { Db } from './db.js';
import { K, Kind } from './names.js';
import type { PlaneInventory } from './plane.js';
import { tagged } from './tx.js';

const IDS = ['external_ids'];

export async function inventory(db: Db): Promise<PlaneInventory> {
  const q = (table: string, kind: string) => op.select(table, [tagged({ [K.kind]: kind })], IDS);
  const [vpcs, subnets, ports, groups, eips, nets, gateways] = await db.read([
    q('Logical_Router', Kind.vpc),
    q('Logical_Switch', Kind.subnet),
    q('Logical_Switch_Port', Kind.port),
    q('Port_Group', Kind.sg),
    q('NAT', Kind.eip),
    q('Logical_Switch', Kind.extNet),
    q('Logical_Router_Port', Kind.gateway),
  ]);
  const ids = (rows: typeof vpcs, key: string) =>
    [...new Set(rows!.map((r) => recordOf(r.external_ids)[key]).filter((v): v is string => !!v))].sort();
  return {
    vpcs: ids(vpcs, K.vpc),
    subnets: ids(subnets, K.subnet),
    ports: ids(ports, K.port),
    securityGroups: ids(groups, K.sg),
    elasticIps: ids(eips, K.eip),
    externalNetworks: ids(nets, K.extNet),
    vpcGateways: ids(gateways, K.vpc),
  };
}
