// VPC and subnet policy of JD's vpc service: prefix rules (JD's private ranges, /16–/28, a subnet
// inside its VPC and overlapping no sibling), quotas, and deletion only of what nothing uses.
// Writes go to Postgres first (under the account's network lock); the converger then drives the
// plane, and a delete is a tombstone until the plane has let go of the object.
import { Errors, VPC_ID_PATTERNS } from '@kumo/contract';
import {
  containsCidr,
  formatCidr,
  formatIp,
  hostRange,
  overlaps,
  parseCidr,
  SECURITY_GROUPS,
  VPCS,
  type Scope,
  type SecurityGroupsModel,
  type SubnetFilter,
  type Transactions,
  type VpcFilter,
  type VpcRecord,
  type VpcSubnetRecord,
  type VpcsModel,
} from '@kumo/store';
import type { NetworkConfig } from '../config-network.js';
import { checkName, checkPrefix } from './network-checks.js';
import { accountNetworkLock, insertDefaultGroup, type NetworkDefaults } from './network-defaults.js';
import { networkId, randomMac } from './network-ids.js';

/** A subnet with what describeSubnets derives from it. */
export interface SubnetDetail extends VpcSubnetRecord {
  availableIpCount: number;
  startIp: string;
  endIp: string;
}

/** VPC and subnet operations. */
export class VpcService {
  constructor(
    private readonly d: {
      tx: Transactions;
      vpcs: VpcsModel;
      groups: SecurityGroupsModel;
      defaults: NetworkDefaults;
      quotas: NetworkConfig['quotas'];
      changed: () => void;
    },
  ) {}

  /** createVpc. */
  async createVpc(scope: Scope, req: { name: string; addressPrefix?: string; description?: string }) {
    checkName('vpcName', req.name);
    // JD: an empty prefix means "no restriction" on the subnets' prefixes.
    const cidr = req.addressPrefix ? formatCidr(checkPrefix('addressPrefix', req.addressPrefix)) : '';
    await this.d.defaults.ensure(scope);
    const vpc = await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      if ((await this.d.vpcs.countVpcs(scope, trx)) >= this.d.quotas.vpc) throw Errors.quotaExceeded('vpc');
      const v = await this.d.vpcs.insertVpc(trx, {
        id: networkId('vpc'),
        accountId: scope.accountId,
        regionId: scope.regionId,
        name: req.name,
        description: req.description ?? '',
        cidr,
        isDefault: false,
      });
      await insertDefaultGroup(this.d.groups, trx, scope, v.id);
      return v;
    });
    this.d.changed();
    return { vpcId: vpc.id };
  }

  /** One VPC of the account with its subnets, or NOT_FOUND. */
  async getVpc(scope: Scope, id: string): Promise<{ vpc: VpcRecord; subnets: SubnetDetail[] }> {
    await this.d.defaults.ensure(scope);
    const vpc = VPC_ID_PATTERNS.vpc.test(id) ? await this.d.vpcs.findVpc(scope, id) : undefined;
    if (!vpc) throw Errors.vpcNotFound(id.slice(0, 64));
    return { vpc, subnets: await this.details(await this.d.vpcs.subnetsOfVpcs(scope, [id])) };
  }

  /** describeVpcs: a page of VPCs, each with its subnets. */
  async describeVpcs(scope: Scope, f: VpcFilter, offset: number, limit: number) {
    await this.d.defaults.ensure(scope);
    const page = await this.d.vpcs.pageVpcs(scope, f, offset, limit);
    const subnets = await this.details(
      await this.d.vpcs.subnetsOfVpcs(
        scope,
        page.items.map((v) => v.id),
      ),
    );
    return {
      items: page.items.map((vpc) => ({ vpc, subnets: subnets.filter((s) => s.vpcId === vpc.id) })),
      total: page.total,
    };
  }

  /** modifyVpc: name and description. */
  async modifyVpc(scope: Scope, id: string, patch: { name?: string; description?: string }) {
    if (patch.name !== undefined) checkName('vpcName', patch.name);
    if (!VPC_ID_PATTERNS.vpc.test(id) || !(await this.d.vpcs.updateVpc(scope, id, patch)))
      throw Errors.vpcNotFound(id.slice(0, 64));
  }

  /** deleteVpc: only without subnets and groups of its own; its default group goes with it. */
  async deleteVpc(scope: Scope, id: string) {
    if (!VPC_ID_PATTERNS.vpc.test(id)) throw Errors.vpcNotFound(id.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const vpc = await this.d.vpcs.findVpc(scope, id, trx);
      if (!vpc) throw Errors.vpcNotFound(id);
      if ((await this.d.vpcs.countLiveSubnets(trx, id)) > 0) throw Errors.vpcHasSubnets(id);
      const groups = await this.d.groups.ofVpc(trx, id);
      if (groups.some((g) => !g.isDefault)) throw Errors.vpcHasSecurityGroups(id);
      for (const g of groups) await this.d.vpcs.tombstone(trx, SECURITY_GROUPS, g.id);
      await this.d.vpcs.tombstone(trx, VPCS, id);
    });
    this.d.changed();
  }

  /** createSubnet: inside the VPC's prefix, overlapping none of its subnets. */
  async createSubnet(
    scope: Scope,
    req: { vpcId: string; name: string; addressPrefix: string; description?: string; az?: string },
  ) {
    checkName('subnetName', req.name);
    const cidr = checkPrefix('addressPrefix', req.addressPrefix);
    const zones = await this.d.defaults.zones(scope.regionId);
    const az = req.az ?? zones[0]!;
    if (!zones.includes(az)) throw Errors.azNotFound(az.slice(0, 64));
    await this.d.defaults.ensure(scope);
    const subnet = await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const vpc = VPC_ID_PATTERNS.vpc.test(req.vpcId)
        ? await this.d.vpcs.findVpc(scope, req.vpcId, trx)
        : undefined;
      if (!vpc) throw Errors.vpcNotFound(req.vpcId.slice(0, 64));
      if (vpc.cidr && !containsCidr(parseCidr(vpc.cidr)!, cidr)) {
        throw Errors.invalidAddressPrefix('addressPrefix', `must lie inside the VPC's ${vpc.cidr}`);
      }
      for (const other of await this.d.vpcs.subnetsOfVpc(trx, vpc.id)) {
        if (overlaps(parseCidr(other.cidr)!, cidr)) throw Errors.subnetOverlaps(formatCidr(cidr), other.id);
      }
      if ((await this.d.vpcs.countSubnets(scope)) >= this.d.quotas.subnet)
        throw Errors.quotaExceeded('subnet');
      return this.d.vpcs.insertSubnet(trx, {
        id: networkId('subnet'),
        accountId: scope.accountId,
        regionId: scope.regionId,
        vpcId: vpc.id,
        az,
        name: req.name,
        description: req.description ?? '',
        cidr: formatCidr(cidr),
        gateway: formatIp(hostRange(cidr).gateway),
        gatewayMac: randomMac(),
        prefix: cidr.length,
        isDefault: false,
      });
    });
    this.d.changed();
    return { subnetId: subnet.id };
  }

  /** One subnet of the account, or NOT_FOUND. */
  async getSubnet(scope: Scope, id: string): Promise<SubnetDetail> {
    await this.d.defaults.ensure(scope);
    const s = VPC_ID_PATTERNS.subnet.test(id) ? await this.d.vpcs.findSubnet(scope, id) : undefined;
    if (!s) throw Errors.subnetNotFound(id.slice(0, 64));
    return (await this.details([s]))[0]!;
  }

  /** describeSubnets. */
  async describeSubnets(scope: Scope, f: SubnetFilter, offset: number, limit: number) {
    await this.d.defaults.ensure(scope);
    const page = await this.d.vpcs.pageSubnets(scope, f, offset, limit);
    return { items: await this.details(page.items), total: page.total };
  }

  /** modifySubnet: name and description. */
  async modifySubnet(scope: Scope, id: string, patch: { name?: string; description?: string }) {
    if (patch.name !== undefined) checkName('subnetName', patch.name);
    if (!VPC_ID_PATTERNS.subnet.test(id) || !(await this.d.vpcs.updateSubnet(scope, id, patch)))
      throw Errors.subnetNotFound(id.slice(0, 64));
  }

  /** deleteSubnet: only a subnet no interface or instance uses. */
  async deleteSubnet(scope: Scope, id: string) {
    if (!VPC_ID_PATTERNS.subnet.test(id)) throw Errors.subnetNotFound(id.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const s = await this.d.vpcs.findSubnet(scope, id, trx);
      if (!s) throw Errors.subnetNotFound(id);
      if ((await this.d.vpcs.subnetUsers(trx, id)) > 0) throw Errors.subnetInUse(id);
      await this.d.vpcs.tombstone(trx, 'subnets', id);
    });
    this.d.changed();
  }

  /**
   * The subnet an instance of the account may be created in: one of its own (live). Until the
   * host side runs on the network plane, instances take /24 subnets only (the NAT plane's plan).
   */
  /**
   * The account's default subnet in `az` (made with its default VPC on first use): where an
   * instance created without a subnet goes, as the "createInstances without a subnet".
   */
  async defaultSubnetFor(scope: Scope, az: string): Promise<VpcSubnetRecord | undefined> {
    const vpc = await this.d.tx.run((trx) => this.d.defaults.ensureIn(trx, scope));
    const subnets = await this.d.tx.run((trx) => this.d.vpcs.subnetsOfVpc(trx, vpc.id));
    return subnets.find((s) => s.isDefault && s.az === az);
  }

  async subnetForInstance(scope: Scope, id: string): Promise<VpcSubnetRecord | undefined> {
    await this.d.defaults.ensure(scope);
    const s = VPC_ID_PATTERNS.subnet.test(id) ? await this.d.vpcs.findSubnet(scope, id) : undefined;
    if (s && s.prefix !== 24) {
      throw Errors.invalidParameter(
        'subnetId',
        'instances need a /24 subnet until hosts join the network plane',
      );
    }
    return s;
  }

  private async details(subnets: VpcSubnetRecord[]): Promise<SubnetDetail[]> {
    const used = await this.d.vpcs.usedAddressCounts(subnets.map((s) => s.id));
    return subnets.map((s) => {
      const r = hostRange(parseCidr(s.cidr)!);
      return {
        ...s,
        availableIpCount: Math.max(0, r.count - (used.get(s.id) ?? 0)),
        startIp: formatIp(r.first),
        endIp: formatIp(r.last),
      };
    });
  }
}
