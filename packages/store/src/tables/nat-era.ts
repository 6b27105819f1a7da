// Instances of the NAT era and the account subnets that take them over (migration 0017): which
// shared subnet a subnet replaces, the VPC an account's adopted subnets live in, moving an
// instance's record onto its new interface, and how many instances on a host still use a shared
// subnet's libvirt network (the last one to move removes it).
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { SUBNETS } from './subnets.js';

const INSTANCES = 'instances';

interface SubnetRow {
  id: string;
  account_id: string | null;
  region_id: string;
  vpc_id: string;
  adopted_from: string | null;
  deleting: boolean;
}

/** Queries over the NAT era's leftovers. */
export class NatEraModel {
  constructor(private readonly db: Database) {}

  /**
   * The shared subnet behind `subnetId`: itself when it is shared, the one it took over when it
   * is an adopted account subnet, undefined for any other.
   */
  async sharedOf(trx: Transaction, subnetId: string): Promise<string | undefined> {
    const row = await trx<SubnetRow>(SUBNETS).where({ id: subnetId }).first();
    if (!row) return undefined;
    return row.account_id === null ? subnetId : (row.adopted_from ?? undefined);
  }

  /** The account subnet that took over shared subnet `sharedId`, if one did. */
  async adoptedSubnet(trx: Transaction, accountId: string, sharedId: string): Promise<string | undefined> {
    const row = await trx<SubnetRow>(SUBNETS)
      .where({ account_id: accountId, adopted_from: sharedId })
      .first();
    return row?.id;
  }

  /** Marks account subnet `subnetId` as the one that took over `sharedId`. */
  async markAdopted(trx: Transaction, subnetId: string, sharedId: string): Promise<void> {
    await trx(SUBNETS).where({ id: subnetId }).update({ adopted_from: sharedId });
  }

  /** The VPC holding the account's adopted subnets in a region, if it has any. */
  async adoptionVpc(trx: Transaction, accountId: string, regionId: string): Promise<string | undefined> {
    const row = await trx<SubnetRow>(SUBNETS)
      .where({ account_id: accountId, region_id: regionId, deleting: false })
      .whereNotNull('adopted_from')
      .first();
    return row?.vpc_id;
  }

  /** Points an instance's record at its new subnet, VPC and primary interface (address and MAC stay). */
  async moveInstance(
    trx: Transaction,
    id: string,
    to: { subnetId: string; vpcId: string; networkInterfaceId: string },
  ): Promise<void> {
    await trx(INSTANCES)
      .where({ id, nat_era: true })
      .update({ subnet_id: to.subnetId, vpc_id: to.vpcId, network_interface_id: to.networkInterfaceId });
  }

  /** The instance's domain is on its port: it is of the NAT era no more. */
  async settle(id: string): Promise<void> {
    await this.db(INSTANCES).where({ id }).update({ nat_era: false });
  }

  /**
   * Instances other than `exceptId` on `hostId` still of the NAT era whose network is shared
   * subnet `sharedId` (whether or not their record already points at the adopted subnet).
   */
  async othersOnHost(hostId: string, sharedId: string, exceptId: string): Promise<number> {
    const { rows } = await this.db.raw<{ rows: { n: number }[] }>(
      `SELECT count(*)::int AS n FROM instances
        WHERE host_id = ? AND nat_era AND id <> ?
          AND (subnet_id = ? OR subnet_id IN (SELECT id FROM subnets WHERE adopted_from = ?))`,
      [hostId, exceptId, sharedId, sharedId],
    );
    return rows[0]?.n ?? 0;
  }
}
