// subnets: the shared default subnets of the libvirt-NAT era (account_id NULL: one per AZ, used by
// instances created before per-account VPCs). Account subnets are vpc-inventory.ts's.
import type { Database } from '../db.js';
import { randomAlnum } from '../ids.js';

export const SUBNETS = 'subnets';

/** A subnet. */
export interface SubnetRecord {
  id: string;
  vpcId: string;
  regionId: string;
  az: string;
  cidr: string;
  gateway: string;
  prefix: number;
}

interface SubnetRow {
  id: string;
  vpc_id: string;
  region_id: string;
  az: string;
  cidr: string;
  gateway: string;
  prefix: number;
}

const toSubnet = (r: SubnetRow): SubnetRecord => ({
  id: r.id,
  vpcId: r.vpc_id,
  regionId: r.region_id,
  az: r.az,
  cidr: r.cidr,
  gateway: r.gateway,
  prefix: r.prefix,
});

/**
 * Kumo's address plan of a default /24: hosts .10–.250 are assigned statically by Kumo's IPAM,
 * .251–.254 are left to DHCP for strays, the rest (gateway, broadcast) is reserved.
 */
export function addressPlan(cidr: string) {
  const base = cidr.split('.').slice(0, 3).join('.');
  const at = (host: number) => `${base}.${host}`;
  return {
    /** The first static address, e.g. `10.240.0.10`. */
    first: at(STATIC_HOSTS.first),
    /** The last static address. */
    last: at(STATIC_HOSTS.last),
    /** Every static address, lowest first. */
    *statics(): Generator<string> {
      for (let h = STATIC_HOSTS.first; h <= STATIC_HOSTS.last; h++) yield at(h);
    },
    /** Whether `ip` is one of the static addresses. */
    isStatic(ip: string): boolean {
      const host = ip.startsWith(`${base}.`) ? Number(ip.slice(base.length + 1)) : NaN;
      return Number.isInteger(host) && host >= STATIC_HOSTS.first && host <= STATIC_HOSTS.last;
    },
    /** The DHCP range for strays. */
    dhcpRange: { start: at(251), end: at(254) },
  };
}

const STATIC_HOSTS = { first: 10, last: 250 };

/** Queries over subnets. */
export class SubnetsModel {
  constructor(private readonly db: Database) {}

  /**
   * The AZ's default subnet, created on first use (race-safe: the loser reads the winner's row).
   * Default subnets are carved from `block`.0.0/16 (e.g. 10.240), one /24 per AZ in creation order.
   */
  async ensureDefault(regionId: string, az: string, block: string): Promise<SubnetRecord> {
    const existing = await this.shared().where({ region_id: regionId, az }).first();
    if (existing) return toSubnet(existing);
    // The VPC id is derived from the region so every AZ of a region shares one default VPC.
    const vpcId = `vpc-${regionId.replace(/[^a-z0-9]/g, '')}default`.slice(0, 40);
    for (let attempt = 0; attempt < 5; attempt++) {
      const [{ n }] = (await this.shared().count({ n: '*' })) as unknown as [{ n: number }];
      const third = n + attempt;
      if (third > 255) throw new Error(`default subnet space ${block}.0.0/16 exhausted`);
      const row = await this.db<SubnetRow>(SUBNETS)
        .insert({
          id: `subnet-${randomAlnum(10)}`,
          vpc_id: vpcId,
          region_id: regionId,
          az,
          cidr: `${block}.${third}.0/24`,
          gateway: `${block}.${third}.1`,
          prefix: 24,
        })
        .onConflict()
        .ignore()
        .returning('*');
      if (row[0]) return toSubnet(row[0]);
      const raced = await this.shared().where({ region_id: regionId, az }).first();
      if (raced) return toSubnet(raced);
    }
    throw new Error(`could not allocate a default subnet for ${az}`);
  }

  private shared() {
    return this.db<SubnetRow>(SUBNETS).whereNull('account_id');
  }

  /** The prefixes of the shared subnets (default VPCs are carved around them). */
  async sharedCidrs(regionId: string): Promise<string[]> {
    return (await this.shared().where({ region_id: regionId }).select('cidr')).map((r) => r.cidr);
  }

  /** A subnet by id within a region (shared or an account's: tasks read either by id). */
  async find(regionId: string, id: string): Promise<SubnetRecord | undefined> {
    const row = await this.db<SubnetRow>(SUBNETS).where({ region_id: regionId, id }).first();
    return row && toSubnet(row);
  }

  /** A shared subnet by id within a region (any account may create instances in it). */
  async findShared(regionId: string, id: string): Promise<SubnetRecord | undefined> {
    const row = await this.shared().where({ region_id: regionId, id }).first();
    return row && toSubnet(row);
  }

  /** Every shared subnet of a region. */
  async list(regionId: string): Promise<SubnetRecord[]> {
    return (await this.shared().where({ region_id: regionId }).orderBy('az')).map(toSubnet);
  }
}
