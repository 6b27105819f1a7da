// external_networks, eip_pools and elastic_ips: the provider networks EIPs live on (admin), the
// address ranges EIPs are drawn from (admin, per region), and an account's EIPs with what they
// are bound to. elastic_ips' unique (region, ip) makes an address impossible to hand out twice.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { formatIp, parseCidr, parseIp } from '../network/cidr.js';
import type { Scope } from './keypairs.js';

export const ELASTIC_IPS = 'elastic_ips';
export const EXTERNAL_NETWORKS = 'external_networks';
const POOLS = 'eip_pools';

// Rows as knex returns them; each mapper below names the columns it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

/** A provider network. */
export interface ExternalNetworkRecord {
  id: string;
  regionId: string;
  cidr: string;
  gateway: string;
  physicalNetwork: string;
  vlan: number | null;
  gatewayChassis: string[];
  createdAt: Date;
}

/** An EIP pool. */
export interface EipPoolRecord {
  id: string;
  regionId: string;
  externalNetworkId: string;
  cidr: string;
  provider: string;
  createdAt: Date;
}

/** An elastic IP. */
export interface ElasticIpRecord {
  id: string;
  accountId: string;
  regionId: string;
  poolId: string;
  ip: string;
  provider: string;
  bandwidthMbps: number;
  interfaceId: string | null;
  privateIp: string | null;
  instanceId: string | null;
  createdAt: Date;
}

const toNet = (r: Row): ExternalNetworkRecord => ({
  id: r.id,
  regionId: r.region_id,
  cidr: r.cidr,
  gateway: r.gateway,
  physicalNetwork: r.physical_network,
  vlan: r.vlan,
  gatewayChassis: r.gateway_chassis,
  createdAt: r.created_at,
});
const toPool = (r: Row): EipPoolRecord => ({
  id: r.id,
  regionId: r.region_id,
  externalNetworkId: r.external_network_id,
  cidr: r.cidr,
  provider: r.provider,
  createdAt: r.created_at,
});
const toEip = (r: Row): ElasticIpRecord => ({
  id: r.id,
  accountId: r.account_id,
  regionId: r.region_id,
  poolId: r.pool_id,
  ip: r.ip,
  provider: r.provider,
  bandwidthMbps: r.bandwidth_mbps,
  interfaceId: r.interface_id,
  privateIp: r.private_ip,
  instanceId: r.instance_id ?? null,
  createdAt: r.created_at,
});

/** EIP list filters. */
export interface EipFilter {
  ids?: string[];
  ips?: string[];
  associated?: boolean;
}

/** Queries over external networks, pools and elastic IPs. */
export class ElasticIpsModel {
  constructor(private readonly db: Database) {}

  // ---- external networks and pools (admin) ----

  async insertNetwork(n: Omit<ExternalNetworkRecord, 'createdAt'>): Promise<void> {
    await this.db(EXTERNAL_NETWORKS).insert({
      id: n.id,
      region_id: n.regionId,
      cidr: n.cidr,
      gateway: n.gateway,
      physical_network: n.physicalNetwork,
      vlan: n.vlan,
      gateway_chassis: n.gatewayChassis,
    });
  }

  async networks(): Promise<ExternalNetworkRecord[]> {
    return (await this.db(EXTERNAL_NETWORKS).where({ deleting: false }).orderBy('created_at')).map(toNet);
  }

  async network(id: string, trx?: Transaction): Promise<ExternalNetworkRecord | undefined> {
    const r = await (trx ?? this.db)(EXTERNAL_NETWORKS).where({ id, deleting: false }).first();
    return r && toNet(r);
  }

  async insertPool(trx: Transaction, p: Omit<EipPoolRecord, 'createdAt'>): Promise<void> {
    await trx(POOLS).insert({
      id: p.id,
      region_id: p.regionId,
      external_network_id: p.externalNetworkId,
      cidr: p.cidr,
      provider: p.provider,
    });
  }

  async pools(regionId?: string, trx?: Transaction): Promise<EipPoolRecord[]> {
    const q = (trx ?? this.db)(POOLS).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    if (regionId) q.where({ region_id: regionId });
    return (await q).map(toPool);
  }

  async deletePool(trx: Transaction, id: string): Promise<void> {
    await trx(POOLS).where({ id }).delete();
  }

  /** EIP rows (tombstones too) drawn from a pool. */
  async poolUsers(trx: Transaction, poolId: string): Promise<number> {
    const [{ n }] = (await trx(ELASTIC_IPS).where({ pool_id: poolId }).count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /** Addresses of a region taken on external networks: EIPs and VPC gateways. */
  async takenAddresses(trx: Transaction, regionId: string): Promise<Set<string>> {
    const eips: { ip: string }[] = await trx(ELASTIC_IPS).where({ region_id: regionId }).select('ip');
    const gws: { ip: string }[] = await trx('vpcs')
      .where({ region_id: regionId })
      .whereNotNull('gateway_ip')
      .select({ ip: 'gateway_ip' });
    return new Set([...eips, ...gws].map((r) => r.ip));
  }

  /** The lowest free address of a pool (not its network/broadcast address nor the upstream gateway). */
  freeAddress(pool: EipPoolRecord, net: ExternalNetworkRecord, taken: Set<string>): string | undefined {
    const c = parseCidr(pool.cidr)!;
    const size = 2 ** (32 - c.length);
    const reserved = new Set([parseIp(net.gateway)!]);
    const netCidr = parseCidr(net.cidr)!;
    reserved.add(netCidr.base).add(netCidr.base + 2 ** (32 - netCidr.length) - 1);
    for (let n = c.base; n < c.base + size; n++) {
      const ip = formatIp(n);
      if (!reserved.has(n) && !taken.has(ip)) return ip;
    }
    return undefined;
  }

  // ---- elastic IPs ----

  private live(q: Database | Transaction, scope: Scope) {
    return q(ELASTIC_IPS)
      .leftJoin('network_interfaces as n', 'n.id', `${ELASTIC_IPS}.interface_id`)
      .where({
        [`${ELASTIC_IPS}.account_id`]: scope.accountId,
        [`${ELASTIC_IPS}.region_id`]: scope.regionId,
        [`${ELASTIC_IPS}.deleting`]: false,
      })
      .select(`${ELASTIC_IPS}.*`, 'n.instance_id');
  }

  async insert(
    trx: Transaction,
    e: Omit<ElasticIpRecord, 'createdAt' | 'interfaceId' | 'privateIp' | 'instanceId'>,
    createdWithInstanceId?: string,
  ) {
    await trx(ELASTIC_IPS).insert({
      ...(createdWithInstanceId ? { created_with_instance_id: createdWithInstanceId } : {}),
      id: e.id,
      account_id: e.accountId,
      region_id: e.regionId,
      pool_id: e.poolId,
      ip: e.ip,
      provider: e.provider,
      bandwidth_mbps: e.bandwidthMbps,
    });
  }

  async find(scope: Scope, id: string, trx?: Transaction): Promise<ElasticIpRecord | undefined> {
    const r = await this.live(trx ?? this.db, scope)
      .where(`${ELASTIC_IPS}.id`, id)
      .first();
    return r && toEip(r);
  }

  async findByIp(scope: Scope, ip: string, trx?: Transaction): Promise<ElasticIpRecord | undefined> {
    const r = await this.live(trx ?? this.db, scope)
      .where(`${ELASTIC_IPS}.ip`, ip)
      .first();
    return r && toEip(r);
  }

  async page(scope: Scope, f: EipFilter, offset: number, limit: number) {
    const q = this.live(this.db, scope);
    if (f.ids) q.whereIn(`${ELASTIC_IPS}.id`, f.ids);
    if (f.ips) q.whereIn(`${ELASTIC_IPS}.ip`, f.ips);
    if (f.associated === true) q.whereNotNull(`${ELASTIC_IPS}.interface_id`);
    if (f.associated === false) q.whereNull(`${ELASTIC_IPS}.interface_id`);
    const [rows, [{ n }]] = await Promise.all([
      q
        .clone()
        .orderBy([{ column: `${ELASTIC_IPS}.created_at` }, { column: `${ELASTIC_IPS}.id` }])
        .offset(offset)
        .limit(limit),
      q.clone().clearSelect().count({ n: '*' }) as unknown as Promise<[{ n: number }]>,
    ]);
    return { items: rows.map(toEip), total: n };
  }

  /** Binds, rebinds or unbinds an EIP and bumps its generation. */
  async bind(
    trx: Transaction,
    id: string,
    to: { interfaceId: string; privateIp: string } | null,
  ): Promise<void> {
    await trx(ELASTIC_IPS)
      .where({ id })
      .update({
        interface_id: to?.interfaceId ?? null,
        private_ip: to?.privateIp ?? null,
        generation: trx.raw('generation + 1'),
      });
  }

  async setBandwidth(trx: Transaction, id: string, mbps: number): Promise<void> {
    await trx(ELASTIC_IPS)
      .where({ id })
      .update({ bandwidth_mbps: mbps, generation: trx.raw('generation + 1') });
  }

  /** EIPs bound to an interface. */
  async ofInterface(trx: Transaction, interfaceId: string): Promise<ElasticIpRecord[]> {
    return (await trx(ELASTIC_IPS).where({ interface_id: interfaceId, deleting: false })).map(toEip);
  }

  /** The live EIPs bound to any of the interfaces. */
  async ofInterfaces(interfaceIds: string[]): Promise<ElasticIpRecord[]> {
    if (interfaceIds.length === 0) return [];
    return (
      await this.db(ELASTIC_IPS).whereIn('interface_id', interfaceIds).andWhere({ deleting: false })
    ).map(toEip);
  }

  async count(scope: Scope, trx?: Transaction): Promise<number> {
    const [{ n }] = (await (trx ?? this.db)(ELASTIC_IPS)
      .where({ account_id: scope.accountId, region_id: scope.regionId, deleting: false })
      .count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /** Sets a VPC's gateway on an external network (once) and bumps the VPC's generation. */
  async setVpcGateway(trx: Transaction, vpcId: string, gw: { networkId: string; ip: string; mac: string }) {
    await trx('vpcs')
      .where({ id: vpcId })
      .update({
        gateway_network_id: gw.networkId,
        gateway_ip: gw.ip,
        gateway_mac: gw.mac,
        generation: trx.raw('generation + 1'),
      });
  }

  /** A VPC's gateway, if it has one. */
  async vpcGateway(trx: Transaction, vpcId: string): Promise<{ networkId: string; ip: string } | undefined> {
    const r = await trx('vpcs').where({ id: vpcId }).whereNotNull('gateway_ip').first();
    return r ? { networkId: r.gateway_network_id as string, ip: r.gateway_ip as string } : undefined;
  }
}
