// Moving instances of the NAT era onto the network plane. Before the plane, every instance sat on
// its host's libvirt NAT network of a subnet shared by all accounts, with an address its guest
// configured statically at first boot. Such an instance is moved at its next power-on: into a VPC
// of its own account (`nat-era`, one per region, with its default security group) and a subnet
// there with the shared subnet's prefix and gateway, on a primary interface that keeps the
// instance's MAC and address. The guest's configuration stays valid, so nothing changes inside
// it, and the instance gains what the plane offers (groups, elastic IPs, more interfaces).
// Another account's instances of the same shared subnet move into their own VPCs: isolated.
import {
  formatCidr,
  parseCidr,
  type InstanceRecord,
  type InstancesModel,
  type NatEraModel,
  type NetworkInterfaceRecord,
  type NetworkInterfacesModel,
  type SecurityGroupsModel,
  type SubnetsModel,
  type Transaction,
  type Transactions,
  type VpcsModel,
} from '@kumo/store';
import { accountNetworkLock, insertDefaultGroup } from './network-defaults.js';
import { networkId, randomMac } from './network-ids.js';
import type { NetworkInterfaceService } from './network-interfaces.js';

/** What an adoption hands the task that powers the instance on. */
export interface Adoption {
  /** The instance's primary interface on the plane. */
  nic: NetworkInterfaceRecord;
  /** The shared subnet whose libvirt network the instance leaves (named by its id on the host). */
  sharedSubnetId: string;
}

/** Adopts instances of the NAT era. */
export class NatEraAdoption {
  constructor(
    private readonly d: {
      tx: Transactions;
      natEra: NatEraModel;
      instances: InstancesModel;
      sharedSubnets: SubnetsModel;
      vpcs: VpcsModel;
      groups: SecurityGroupsModel;
      interfaces: NetworkInterfacesModel;
      networkInterfaces: NetworkInterfaceService;
      changed: () => void;
    },
  ) {}

  /**
   * Writes the instance's place on the plane (idempotent: a second call returns the first one's
   * interface). Its domain still has to be moved onto the port; {@link settle} after that.
   */
  async adopt(inst: InstanceRecord): Promise<Adoption> {
    const scope = { accountId: inst.accountId, regionId: inst.regionId };
    const out = await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const now = await this.d.instances.get(inst.id, trx);
      if (!now) throw new Error(`instance ${inst.id} no longer exists`);
      const sharedSubnetId = await this.d.natEra.sharedOf(trx, now.subnetId);
      if (!sharedSubnetId) throw new Error(`instance ${inst.id} is not on a subnet of the NAT era`);
      const [existing] = await this.d.interfaces.ofInstance(trx, inst.id);
      if (existing) return { nic: existing, sharedSubnetId, created: false };
      const shared = await this.d.sharedSubnets.findShared(now.regionId, sharedSubnetId);
      if (!shared) throw new Error(`shared subnet ${sharedSubnetId} is missing`);
      const vpcId =
        (await this.d.natEra.adoptionVpc(trx, now.accountId, now.regionId)) ??
        (await this.createVpc(trx, scope, await this.d.sharedSubnets.sharedCidrs(now.regionId)));
      let subnetId = await this.d.natEra.adoptedSubnet(trx, now.accountId, shared.id);
      if (!subnetId) {
        subnetId = networkId('subnet');
        await this.d.vpcs.insertSubnet(trx, {
          id: subnetId,
          accountId: now.accountId,
          regionId: now.regionId,
          vpcId,
          az: shared.az,
          name: `nat-era-${shared.az}`.slice(0, 32),
          description: `Took over shared subnet ${shared.id} (${shared.cidr}) of the NAT era`,
          cidr: shared.cidr,
          gateway: shared.gateway,
          gatewayMac: randomMac(),
          prefix: shared.prefix,
          isDefault: false,
        });
        await this.d.natEra.markAdopted(trx, subnetId, shared.id);
      }
      const subnet = await this.d.vpcs.findSubnet(scope, subnetId, trx);
      if (!subnet) throw new Error(`adopted subnet ${subnetId} is being deleted`);
      const nic = await this.d.networkInterfaces.adoptPrimaryInterface(trx, scope, inst.id, subnet, {
        mac: now.mac,
        ip: now.privateIp,
      });
      await this.d.natEra.moveInstance(trx, inst.id, { subnetId, vpcId, networkInterfaceId: nic.id });
      return { nic, sharedSubnetId, created: true };
    });
    if (out.created) this.d.changed();
    return { nic: out.nic, sharedSubnetId: out.sharedSubnetId };
  }

  /** The domain is on its port now. */
  settle(instanceId: string): Promise<void> {
    return this.d.natEra.settle(instanceId);
  }

  /** The shared subnet an instance of the NAT era is on, or left if adopted but not settled. */
  sharedSubnetOf(inst: InstanceRecord): Promise<string | undefined> {
    return this.d.tx.run((trx) => this.d.natEra.sharedOf(trx, inst.subnetId));
  }

  /** How many other instances on the host still use the shared subnet's libvirt network. */
  othersOnHost(hostId: string, sharedSubnetId: string, exceptId: string): Promise<number> {
    return this.d.natEra.othersOnHost(hostId, sharedSubnetId, exceptId);
  }

  private async createVpc(
    trx: Transaction,
    scope: { accountId: string; regionId: string },
    sharedCidrs: string[],
  ): Promise<string> {
    const vpc = await this.d.vpcs.insertVpc(trx, {
      id: networkId('vpc'),
      accountId: scope.accountId,
      regionId: scope.regionId,
      name: 'nat-era',
      description: 'Instances moved from their hosts’ NAT networks, with the addresses they had',
      cidr: formatCidr(covering(sharedCidrs)),
      isDefault: false,
    });
    await insertDefaultGroup(this.d.groups, trx, scope, vpc.id);
    return vpc.id;
  }
}

/**
 * The prefix of the adoption VPC: the smallest one holding every shared subnet of the region,
 * widened to a /16 (the block they were carved from), so the account can add subnets beside them.
 */
export function covering(cidrs: string[]): { base: number; length: number } {
  const parsed = cidrs.map((c) => parseCidr(c)!);
  let length = Math.min(16, ...parsed.map((c) => c.length));
  const mask = (l: number) => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);
  while (length > 0 && new Set(parsed.map((c) => (c.base & mask(length)) >>> 0)).size > 1) length--;
  return { base: (parsed[0]!.base & mask(length)) >>> 0, length };
}
