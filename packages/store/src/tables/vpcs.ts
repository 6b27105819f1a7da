// vpcs and account subnets: the per-account network inventory of JD's vpc service. Every query
// is scoped to one account and region; rows being removed from the network plane (tombstones,
// `deleting`) are invisible to the API. No policy: the vpc service decides what is allowed.
import type { Database } from '../db.js';
import { translatePgErrors } from '../errors.js';
import type { Transaction } from '../locks.js';
import { pageOf } from '../paging.js';
import type { Scope } from './keypairs.js';

export const VPCS = 'vpcs';
const SUBNETS = 'subnets';

/** A VPC. */
export interface VpcRecord {
  id: string;
  accountId: string;
  regionId: string;
  name: string;
  description: string;
  cidr: string;
  isDefault: boolean;
  createdAt: Date;
}

/** An account's subnet. */
export interface VpcSubnetRecord {
  id: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  az: string;
  name: string;
  description: string;
  cidr: string;
  gateway: string;
  gatewayMac: string;
  prefix: number;
  isDefault: boolean;
  createdAt: Date;
}

interface VpcRow {
  id: string;
  account_id: string;
  region_id: string;
  name: string;
  description: string;
  cidr: string;
  is_default: boolean;
  default_slot: number | null;
  created_at: Date;
}

interface SubnetRow {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  az: string;
  name: string;
  description: string;
  cidr: string;
  gateway: string;
  gateway_mac: string;
  prefix: number;
  is_default: boolean;
  created_at: Date;
}

const toVpc = (r: VpcRow): VpcRecord => ({
  id: r.id,
  accountId: r.account_id,
  regionId: r.region_id,
  name: r.name,
  description: r.description,
  cidr: r.cidr,
  isDefault: r.is_default,
  createdAt: r.created_at,
});

const toSubnet = (r: SubnetRow): VpcSubnetRecord => ({
  id: r.id,
  accountId: r.account_id,
  regionId: r.region_id,
  vpcId: r.vpc_id,
  az: r.az,
  name: r.name,
  description: r.description,
  cidr: r.cidr,
  gateway: r.gateway,
  gatewayMac: r.gateway_mac,
  prefix: r.prefix,
  isDefault: r.is_default,
  createdAt: r.created_at,
});

/** A new VPC. */
export type NewVpc = Omit<VpcRecord, 'createdAt'> & { defaultSlot?: number };
/** A new subnet. */
export type NewVpcSubnet = Omit<VpcSubnetRecord, 'createdAt'>;

/** List filters (values OR within one, filters AND). */
export interface VpcFilter {
  ids?: string[];
  names?: string[];
}
/** Subnet list filters. */
export interface SubnetFilter extends VpcFilter {
  vpcIds?: string[];
  azs?: string[];
}

/** Queries over VPCs and account subnets. */
export class VpcsModel {
  constructor(private readonly db: Database) {}

  private live(q: Database | Transaction, table: string, scope: Scope) {
    return q(table)
      .where({ account_id: scope.accountId, region_id: scope.regionId })
      .andWhere({ deleting: false });
  }

  /** Inserts a VPC; UniqueViolation when a default slot or the account's default is taken. */
  async insertVpc(trx: Transaction, v: NewVpc): Promise<VpcRecord> {
    return translatePgErrors(async () => {
      const [row] = await trx<VpcRow>(VPCS)
        .insert({
          id: v.id,
          account_id: v.accountId,
          region_id: v.regionId,
          name: v.name,
          description: v.description,
          cidr: v.cidr,
          is_default: v.isDefault,
          default_slot: v.defaultSlot ?? null,
        })
        .returning('*');
      return toVpc(row!);
    });
  }

  /** One live VPC of the account. */
  async findVpc(scope: Scope, id: string, trx?: Transaction): Promise<VpcRecord | undefined> {
    const row = (await this.live(trx ?? this.db, VPCS, scope)
      .where({ id })
      .first()) as VpcRow | undefined;
    return row && toVpc(row);
  }

  /** The account's default VPC in the region. */
  async defaultVpc(scope: Scope, trx?: Transaction): Promise<VpcRecord | undefined> {
    const row = (await this.live(trx ?? this.db, VPCS, scope)
      .where({ is_default: true })
      .first()) as VpcRow | undefined;
    return row && toVpc(row);
  }

  /** Default-pool slots taken in the region (by any account). */
  async usedDefaultSlots(trx: Transaction, regionId: string): Promise<number[]> {
    const rows = (await trx(VPCS).where({ region_id: regionId }).whereNotNull('default_slot')) as VpcRow[];
    return rows.map((r) => r.default_slot!);
  }

  /** One page of live VPCs. */
  async pageVpcs(scope: Scope, f: VpcFilter, offset: number, limit: number) {
    const q = this.live(this.db, VPCS, scope);
    if (f.ids) q.whereIn('id', f.ids);
    if (f.names) q.whereIn('name', f.names);
    const { rows, total } = await pageOf(q as never, offset, limit);
    return { items: (rows as VpcRow[]).map(toVpc), total };
  }

  /** Name and description; false when no such live VPC. */
  async updateVpc(
    scope: Scope,
    id: string,
    patch: { name?: string; description?: string },
  ): Promise<boolean> {
    if (Object.keys(patch).length === 0) return !!(await this.findVpc(scope, id));
    return (await this.live(this.db, VPCS, scope).where({ id }).update(patch)) > 0;
  }

  /** Marks a VPC (or subnet, group…) as a tombstone: the converger removes it from the plane. */
  async tombstone(trx: Transaction, table: string, id: string): Promise<boolean> {
    const n = await trx(table)
      .where({ id, deleting: false })
      .update({ deleting: true, generation: trx.raw('generation + 1') });
    return n > 0;
  }

  /** How many live VPCs the account holds in the region. */
  async countVpcs(scope: Scope, trx?: Transaction): Promise<number> {
    const [{ n }] = (await this.live(trx ?? this.db, VPCS, scope).count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /** Inserts an account subnet. */
  async insertSubnet(trx: Transaction, s: NewVpcSubnet): Promise<VpcSubnetRecord> {
    return translatePgErrors(async () => {
      const [row] = await trx<SubnetRow>(SUBNETS)
        .insert({
          id: s.id,
          account_id: s.accountId,
          region_id: s.regionId,
          vpc_id: s.vpcId,
          az: s.az,
          name: s.name,
          description: s.description,
          cidr: s.cidr,
          gateway: s.gateway,
          gateway_mac: s.gatewayMac,
          prefix: s.prefix,
          is_default: s.isDefault,
        })
        .returning('*');
      return toSubnet(row!);
    });
  }

  /** One live subnet of the account. */
  async findSubnet(scope: Scope, id: string, trx?: Transaction): Promise<VpcSubnetRecord | undefined> {
    const row = (await this.live(trx ?? this.db, SUBNETS, scope)
      .where({ id })
      .first()) as SubnetRow | undefined;
    return row && toSubnet(row);
  }

  /** Every subnet of a VPC still in the plane or on its way (tombstones too: they hold their prefix). */
  async subnetsOfVpc(trx: Transaction, vpcId: string): Promise<VpcSubnetRecord[]> {
    return ((await trx(SUBNETS).where({ vpc_id: vpcId })) as SubnetRow[]).map(toSubnet);
  }

  /** One page of live subnets. */
  async pageSubnets(scope: Scope, f: SubnetFilter, offset: number, limit: number) {
    const q = this.live(this.db, SUBNETS, scope);
    if (f.ids) q.whereIn('id', f.ids);
    if (f.names) q.whereIn('name', f.names);
    if (f.vpcIds) q.whereIn('vpc_id', f.vpcIds);
    if (f.azs) q.whereIn('az', f.azs);
    const { rows, total } = await pageOf(q as never, offset, limit);
    return { items: (rows as SubnetRow[]).map(toSubnet), total };
  }

  /** Name and description; false when no such live subnet. */
  async updateSubnet(
    scope: Scope,
    id: string,
    patch: { name?: string; description?: string },
  ): Promise<boolean> {
    if (Object.keys(patch).length === 0) return !!(await this.findSubnet(scope, id));
    return (await this.live(this.db, SUBNETS, scope).where({ id }).update(patch)) > 0;
  }

  /** Live subnets of a VPC (what blocks deleting it). */
  async countLiveSubnets(trx: Transaction, vpcId: string): Promise<number> {
    const [{ n }] = (await trx(SUBNETS).where({ vpc_id: vpcId, deleting: false }).count({ n: '*' })) as [
      { n: number },
    ];
    return n;
  }

  /** Interfaces and instances in a subnet (what blocks deleting it). */
  async subnetUsers(trx: Transaction, subnetId: string): Promise<number> {
    const [{ n }] = (await trx('network_interfaces')
      .where({ subnet_id: subnetId, deleting: false })
      .count({ n: '*' })) as [{ n: number }];
    const [{ m }] = (await trx('instances').where({ subnet_id: subnetId }).count({ m: '*' })) as [
      { m: number },
    ];
    return n + m;
  }

  /** Live subnets of some VPCs (describeVpcs lists each VPC's subnets). */
  async subnetsOfVpcs(scope: Scope, vpcIds: string[]): Promise<VpcSubnetRecord[]> {
    if (vpcIds.length === 0) return [];
    const rows = (await this.live(this.db, SUBNETS, scope)
      .whereIn('vpc_id', vpcIds)
      .orderBy([{ column: 'created_at' }, { column: 'id' }])) as SubnetRow[];
    return rows.map(toSubnet);
  }

  /** Addresses taken in each subnet (interfaces' and instances'), by subnet id. */
  async usedAddressCounts(subnetIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(subnetIds.map((id) => [id, 0]));
    if (subnetIds.length === 0) return out;
    const r = await this.db.raw<{ rows: { subnet_id: string; n: number }[] }>(
      `SELECT subnet_id, count(*)::int AS n FROM (
         SELECT subnet_id FROM subnet_addresses WHERE subnet_id = ANY(?)
         UNION ALL SELECT subnet_id FROM instances WHERE subnet_id = ANY(?)) u GROUP BY subnet_id`,
      [subnetIds, subnetIds],
    );
    for (const row of r.rows) out.set(row.subnet_id, row.n);
    return out;
  }

  /** How many live subnets the account holds in the region. */
  async countSubnets(scope: Scope): Promise<number> {
    const [{ n }] = (await this.live(this.db, SUBNETS, scope).count({ n: '*' })) as [{ n: number }];
    return n;
  }
}
