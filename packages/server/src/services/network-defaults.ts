// Account defaults of the vpc service: on an account's first use of a region, a default VPC (a
// block of the operator's pool, never overlapping another account's, so one route on a lab
// machine reaches every default VPC), a default /24 subnet per availability zone and the VPC's
// default security group. Race-safe: every creation for an account runs under its network lock,
// and the pool slot under the region's, so two concurrent first requests make one set.
import { Errors } from '@kumo/contract';
import {
  carve,
  formatCidr,
  formatIp,
  hostRange,
  overlaps,
  parseCidr,
  type HostsModel,
  type Scope,
  type SecurityGroupsModel,
  type SubnetsModel,
  type Transaction,
  type Transactions,
  type VpcRecord,
  type VpcsModel,
} from '@kumo/store';
import type { NetworkConfig } from '../config-network.js';
import { defaultGroupRules, networkId, randomMac } from './network-ids.js';

/** The lock every network creation of one account takes. */
export const accountNetworkLock = (scope: Scope) => `net:${scope.accountId}:${scope.regionId}`;

/** Writes a VPC's default security group (every VPC has one: interfaces that name none get it). */
export function insertDefaultGroup(
  groups: SecurityGroupsModel,
  trx: Transaction,
  scope: Scope,
  vpcId: string,
): Promise<void> {
  return groups.insert(
    trx,
    {
      id: networkId('sg'),
      accountId: scope.accountId,
      regionId: scope.regionId,
      vpcId,
      name: 'default',
      description: 'Default security group: all egress, ingress ICMP and SSH (TCP 22)',
      isDefault: true,
    },
    defaultGroupRules(),
  );
}

/** Creates and finds account defaults. */
export class NetworkDefaults {
  // Accounts whose defaults this process has seen complete (for the AZs it knew then).
  private readonly done = new Set<string>();

  constructor(
    private readonly d: {
      tx: Transactions;
      vpcs: VpcsModel;
      groups: SecurityGroupsModel;
      sharedSubnets: SubnetsModel;
      hosts: HostsModel;
      network: NetworkConfig;
      defaultRegion: string;
      defaultAz: string;
      changed: () => void;
    },
  ) {}

  /**
   * The region's availability zones: those of its hosts; before any host is registered, the
   * configured region has its default AZ, so an account can lay out its network first.
   */
  async zones(regionId: string): Promise<string[]> {
    const zones = (await this.d.hosts.zones()).filter((z) => z.regionId === regionId).map((z) => z.az);
    if (zones.length === 0 && regionId === this.d.defaultRegion) zones.push(this.d.defaultAz);
    return [...new Set(zones)].sort();
  }

  /** Makes sure the account has its default VPC, group and a default subnet in every AZ. */
  async ensure(scope: Scope): Promise<VpcRecord> {
    const zones = await this.zones(scope.regionId);
    const key = `${scope.accountId}:${scope.regionId}:${zones.join(',')}`;
    const known = this.done.has(key) ? await this.d.vpcs.defaultVpc(scope) : undefined;
    if (known) return known;
    const vpc = await this.d.tx.locked(accountNetworkLock(scope), (trx) =>
      this.ensureLocked(trx, scope, zones),
    );
    this.done.add(key);
    return vpc;
  }

  /**
   * {@link ensure} inside the caller's transaction (instance creation): takes the account's
   * network lock there (re-entrant if the caller holds it already), so it never waits on itself.
   */
  async ensureIn(trx: Transaction, scope: Scope): Promise<VpcRecord> {
    const zones = await this.zones(scope.regionId);
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [accountNetworkLock(scope)]);
    return this.ensureLocked(trx, scope, zones);
  }

  private async ensureLocked(trx: Transaction, scope: Scope, zones: string[]): Promise<VpcRecord> {
    const { vpcs, groups } = this.d;
    let created = false;
    let vpc = await vpcs.defaultVpc(scope, trx);
    if (!vpc) {
      vpc = await this.createDefaultVpc(trx, scope);
      created = true;
    }
    if (!(await groups.defaultOf(vpc.id, trx))) {
      await insertDefaultGroup(groups, trx, scope, vpc.id);
      created = true;
    }
    const subnets = await vpcs.subnetsOfVpc(trx, vpc.id);
    const vpcCidr = parseCidr(vpc.cidr)!;
    for (const az of zones) {
      if (subnets.some((s) => s.isDefault && s.az === az)) continue;
      // The first /24 of the VPC no other subnet of it overlaps.
      let cidr;
      for (let i = 0; (cidr = carve(vpcCidr, 24, i)); i++) {
        const c = cidr;
        if (!subnets.some((s) => overlaps(parseCidr(s.cidr)!, c))) break;
      }
      if (!cidr) break; // a full default VPC: AZs beyond it get no default subnet
      const range = hostRange(cidr);
      subnets.push(
        await vpcs.insertSubnet(trx, {
          id: networkId('subnet'),
          accountId: scope.accountId,
          regionId: scope.regionId,
          vpcId: vpc.id,
          az,
          name: `default-${az}`,
          description: 'Default subnet of the availability zone',
          cidr: formatCidr(cidr),
          gateway: formatIp(range.gateway),
          gatewayMac: randomMac(),
          prefix: 24,
          isDefault: true,
        }),
      );
      created = true;
    }
    if (created) trx.once('commit', () => this.d.changed());
    return vpc;
  }

  private async createDefaultVpc(trx: Transaction, scope: Scope): Promise<VpcRecord> {
    const { network } = this.d;
    // One taker of pool slots per region at a time; the unique index is the backstop.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`net-pool:${scope.regionId}`]);
    const used = new Set(await this.d.vpcs.usedDefaultSlots(trx, scope.regionId));
    // Shared subnets of the NAT era stay where they are: default VPCs go around them.
    const shared = (await this.d.sharedSubnets.sharedCidrs(scope.regionId)).map((c) => parseCidr(c)!);
    const pool = parseCidr(network.defaultVpcPool)!;
    for (let slot = 0; ; slot++) {
      const block = carve(pool, network.defaultVpcPrefixLength, slot);
      if (!block) throw Errors.defaultVpcPoolExhausted();
      if (used.has(slot) || shared.some((s) => overlaps(s, block))) continue;
      return this.d.vpcs.insertVpc(trx, {
        id: networkId('vpc'),
        accountId: scope.accountId,
        regionId: scope.regionId,
        name: 'default',
        description: 'Default VPC',
        cidr: formatCidr(block),
        isDefault: true,
        defaultSlot: slot,
      });
    }
  }
}
