// Network interface policy of JD's vpc service: a subnet of the account, at most five groups of
// the subnet's VPC (its default group when none is named), addresses inside the subnet and free,
// secondary addresses assigned and released, and no deleting an attached interface. Also the
// two calls instance creation and deletion make: the primary interface written in the caller's
// transaction (instance and port are one commit), and releasing an instance's interfaces.
import { randomUUID } from 'node:crypto';
import { Errors, VPC_ID_PATTERNS } from '@kumo/contract';
import {
  containsIp,
  hostRange,
  NETWORK_INTERFACES,
  parseCidr,
  parseIp,
  UniqueViolation,
  type ElasticIpRecord,
  type ElasticIpsModel,
  type InterfaceFilter,
  type NetworkInterfaceRecord,
  type NetworkInterfacesModel,
  type Scope,
  type SecurityGroupsModel,
  type Transaction,
  type Transactions,
  type VpcSubnetRecord,
  type VpcsModel,
} from '@kumo/store';
import type { NetworkConfig } from '../config-network.js';
import { checkName } from './network-checks.js';
import { accountNetworkLock, type NetworkDefaults } from './network-defaults.js';
import { networkId, randomMac } from './network-ids.js';

/** JD's limit of security groups on one interface. */
export const MAX_GROUPS = 5;
/** Secondary addresses one interface may hold. */
export const MAX_SECONDARY_IPS = 20;

/** What an interface is made from (createNetworkInterface, or an instance's primaryNetworkInterface). */
export interface InterfaceSpec {
  subnetId: string;
  name?: string;
  description?: string;
  primaryIpAddress?: string;
  secondaryIpAddresses?: string[];
  secondaryIpCount?: number;
  securityGroups?: string[];
}

/** An instance's interfaces (primary first) and the elastic IPs bound to them, for its views. */
export interface InstanceNetworking {
  interfaces: NetworkInterfaceRecord[];
  elasticIps: ElasticIpRecord[];
  /** Names of the interfaces' security groups, by id. */
  groupNames: Map<string, string>;
}

/** Network interface operations. */
export class NetworkInterfaceService {
  constructor(
    private readonly d: {
      tx: Transactions;
      vpcs: VpcsModel;
      groups: SecurityGroupsModel;
      interfaces: NetworkInterfacesModel;
      eips: ElasticIpsModel;
      defaults: NetworkDefaults;
      quotas: NetworkConfig['quotas'];
      changed: () => void;
    },
  ) {}

  /** createNetworkInterface. */
  async create(scope: Scope, spec: InterfaceSpec & { az?: string }) {
    if (spec.name !== undefined) checkName('networkInterfaceName', spec.name);
    await this.d.defaults.ensure(scope);
    const id = await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      if ((await this.d.interfaces.count(scope, trx)) >= this.d.quotas.networkInterface)
        throw Errors.quotaExceeded('network_interface');
      const subnet = await this.subnetOf(scope, spec.subnetId, trx);
      if (spec.az !== undefined && spec.az !== subnet.az)
        throw Errors.invalidParameter('az', `subnet ${subnet.id} is in ${subnet.az}`);
      return (await this.write(trx, scope, subnet, spec, { role: 'Secondary' })).id;
    });
    this.d.changed();
    return { networkInterfaceId: id };
  }

  /**
   * For instance creation, inside the caller's transaction (it takes the account's network lock,
   * {@link accountNetworkLock}, there; take it first if the caller holds other locks): resolves the spec's subnet, groups and addresses
   * (or the AZ's default subnet and the VPC's default group) and writes the instance's primary
   * interface (device 0, autoDelete). The converger creates the port once the caller commits;
   * call {@link NetworkInterfaceService.kick} after the commit to start it at once.
   */
  async createPrimaryInterface(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    spec: InterfaceSpec | { az: string },
  ): Promise<NetworkInterfaceRecord> {
    // Takes the account's network lock (and makes its defaults on first use) in either case.
    const vpc = await this.d.defaults.ensureIn(trx, scope);
    let full: InterfaceSpec;
    if ('subnetId' in spec) full = spec;
    else {
      const subnets = await this.d.vpcs.subnetsOfVpc(trx, vpc.id);
      const own = subnets.find((s) => s.isDefault && s.az === spec.az);
      if (!own) throw Errors.azNotFound(spec.az.slice(0, 64));
      full = { subnetId: own.id };
    }
    const subnet = await this.subnetOf(scope, full.subnetId, trx);
    return this.write(trx, scope, subnet, full, {
      role: 'Primary',
      instanceId,
      deviceIndex: 0,
      autoDelete: true,
    });
  }

  /**
   * For moving an instance of the NAT era onto the plane, in the caller's transaction (holding
   * the account's network lock): its primary interface in `subnet` with the MAC and address the
   * guest already has, so its own network configuration stays valid.
   */
  async adoptPrimaryInterface(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    subnet: VpcSubnetRecord,
    keep: { mac: string; ip: string },
  ): Promise<NetworkInterfaceRecord> {
    return this.write(
      trx,
      scope,
      subnet,
      { subnetId: subnet.id, primaryIpAddress: keep.ip },
      { role: 'Primary', instanceId, deviceIndex: 0, autoDelete: true, mac: keep.mac },
    );
  }

  /**
   * For instance deletion, in the caller's transaction: EIPs created with the instance are
   * released, other EIPs on its autoDelete interfaces unbound; autoDelete interfaces become
   * tombstones (the plane drops their ports, then their addresses are free), the others are
   * detached.
   */
  async releaseInstance(trx: Transaction, instanceId: string): Promise<void> {
    await this.d.interfaces.releaseInstance(trx, instanceId);
  }

  /** The networking of each of `instanceIds` (three queries, whatever their number). */
  async ofInstances(scope: Scope, instanceIds: string[]): Promise<Map<string, InstanceNetworking>> {
    const nics = await this.d.interfaces.ofInstances(instanceIds);
    const groupIds = [...new Set(nics.flatMap((n) => n.securityGroupIds))];
    // Both depend only on the interfaces: one round trip's wait for the two.
    const [eips, groups] = await Promise.all([
      this.d.eips.ofInterfaces(nics.map((n) => n.id)),
      groupIds.length ? this.d.groups.findMany(scope, groupIds) : [],
    ]);
    const groupNames = new Map(groups.map((g) => [g.id, g.name]));
    const out = new Map<string, InstanceNetworking>();
    for (const nic of nics) {
      const entry = out.get(nic.instanceId!) ?? { interfaces: [], elasticIps: [], groupNames };
      entry.interfaces.push(nic);
      entry.elasticIps.push(...eips.filter((e) => e.interfaceId === nic.id));
      out.set(nic.instanceId!, entry);
    }
    return out;
  }

  /** Starts convergence now (after a caller's commit). */
  kick(): void {
    this.d.changed();
  }

  /** One interface, or NOT_FOUND. */
  async get(scope: Scope, id: string): Promise<NetworkInterfaceRecord> {
    const nic = VPC_ID_PATTERNS.networkInterface.test(id)
      ? await this.d.interfaces.find(scope, id)
      : undefined;
    if (!nic) throw Errors.networkInterfaceNotFound(id.slice(0, 64));
    return nic;
  }

  /** describeNetworkInterfaces. */
  describe(scope: Scope, f: InterfaceFilter, offset: number, limit: number) {
    return this.d.interfaces.page(scope, f, offset, limit);
  }

  /** modifyNetworkInterface: name, description, groups (the plane gets new groups). */
  async modify(
    scope: Scope,
    id: string,
    patch: { name?: string; description?: string; securityGroups?: string[] },
  ) {
    if (patch.name !== undefined) checkName('networkInterfaceName', patch.name);
    await this.locked(scope, id, async (trx, nic) => {
      const groups =
        patch.securityGroups && (await this.groupsFor(trx, scope, nic.vpcId, patch.securityGroups));
      await this.d.interfaces.update(
        trx,
        id,
        { name: patch.name, description: patch.description, securityGroupIds: groups },
        groups !== undefined,
      );
    });
    if (patch.securityGroups) this.d.changed();
  }

  /** deleteNetworkInterface: not while attached to an instance. */
  async delete(scope: Scope, id: string) {
    await this.locked(scope, id, async (trx, nic) => {
      if (nic.instanceId) throw Errors.networkInterfaceAttached(id, nic.instanceId);
      if ((await this.d.interfaces.elasticIps(trx, id)) > 0) throw Errors.interfaceHasElasticIp(id);
      await this.d.vpcs.tombstone(trx, NETWORK_INTERFACES, id);
    });
    this.d.changed();
  }

  /** assignSecondaryIps: given addresses and/or a count of new ones. */
  async assignSecondaryIps(scope: Scope, id: string, req: { ips?: string[]; count?: number }) {
    const count = req.count ?? 0;
    if (count < 0 || count > MAX_SECONDARY_IPS) throw Errors.outOfRange('secondaryIpCount');
    if ((req.ips?.length ?? 0) + count === 0)
      throw Errors.missingParameter('secondaryIps or secondaryIpCount');
    await this.locked(scope, id, async (trx, nic) => {
      if (nic.secondaryIps.length + (req.ips?.length ?? 0) + count > MAX_SECONDARY_IPS)
        throw Errors.outOfRange('secondaryIps');
      const subnet = await this.subnetOf(scope, nic.subnetId, trx);
      const ips = (req.ips ?? []).map((ip, i) => checkAddress(`secondaryIps.${i + 1}`, ip, subnet));
      this.claimed(
        await this.d.interfaces.claimAddresses(trx, subnet, id, { ips, count, primary: false }),
        subnet,
      );
      await this.d.interfaces.bump(trx, id);
    });
    this.d.changed();
  }

  /** unassignSecondaryIps: only addresses that are this interface's secondaries. */
  async unassignSecondaryIps(scope: Scope, id: string, ips: string[]) {
    if (ips.length === 0) throw Errors.missingParameter('secondaryIps');
    await this.locked(scope, id, async (trx, nic) => {
      for (const [i, ip] of ips.entries())
        if (!nic.secondaryIps.includes(ip))
          throw Errors.invalidParameter(
            `secondaryIps.${i + 1}`,
            `'${ip.slice(0, 64)}' is not a secondary IP of ${id}`,
          );
      await this.d.interfaces.releaseSecondaries(trx, id, ips);
    });
    this.d.changed();
  }

  private async locked(
    scope: Scope,
    id: string,
    fn: (trx: Transaction, nic: NetworkInterfaceRecord) => Promise<void>,
  ): Promise<void> {
    if (!VPC_ID_PATTERNS.networkInterface.test(id)) throw Errors.networkInterfaceNotFound(id.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const nic = await this.d.interfaces.find(scope, id, trx);
      if (!nic) throw Errors.networkInterfaceNotFound(id);
      await fn(trx, nic);
    });
  }

  private async subnetOf(scope: Scope, id: string, trx: Transaction): Promise<VpcSubnetRecord> {
    const s = VPC_ID_PATTERNS.subnet.test(id) ? await this.d.vpcs.findSubnet(scope, id, trx) : undefined;
    if (!s) throw Errors.subnetNotFound(id.slice(0, 64));
    return s;
  }

  /** The groups an interface in `vpcId` gets: the named ones (≤ 5, of that VPC) or its default. */
  private async groupsFor(trx: Transaction, scope: Scope, vpcId: string, ids: string[] | undefined) {
    if (ids === undefined || ids.length === 0) {
      const def = await this.d.groups.defaultOf(vpcId, trx);
      return def ? [def.id] : [];
    }
    const unique = [...new Set(ids)];
    if (unique.length > MAX_GROUPS) throw Errors.tooManySecurityGroups(MAX_GROUPS);
    const found = await this.d.groups.findMany(
      scope,
      unique.filter((g) => VPC_ID_PATTERNS.securityGroup.test(g)),
      trx,
    );
    for (const g of unique) {
      const group = found.find((x) => x.id === g);
      if (!group) throw Errors.securityGroupNotFound(g.slice(0, 64));
      if (group.vpcId !== vpcId) throw Errors.securityGroupOfOtherVpc(g, vpcId);
    }
    return unique;
  }

  private claimed(
    r: string[] | { problem: 'in-use'; ip: string } | { problem: 'exhausted' },
    subnet: VpcSubnetRecord,
  ) {
    if (Array.isArray(r)) return r;
    if (r.problem === 'in-use') throw Errors.ipInUse(r.ip);
    throw Errors.noFreeIp(subnet.id);
  }

  private async write(
    trx: Transaction,
    scope: Scope,
    subnet: VpcSubnetRecord,
    spec: InterfaceSpec,
    attach: {
      role: 'Primary' | 'Secondary';
      instanceId?: string;
      deviceIndex?: number;
      autoDelete?: boolean;
      /** The MAC to keep (an adopted guest's); a fresh one otherwise. */
      mac?: string;
    },
  ): Promise<NetworkInterfaceRecord> {
    const primary = spec.primaryIpAddress && checkAddress('primaryIpAddress', spec.primaryIpAddress, subnet);
    const secondaries = (spec.secondaryIpAddresses ?? []).map((ip, i) =>
      checkAddress(`secondaryIpAddresses.${i + 1}`, ip, subnet),
    );
    const count = spec.secondaryIpCount ?? 0;
    if (count < 0 || secondaries.length + count > MAX_SECONDARY_IPS)
      throw Errors.outOfRange('secondaryIpCount');
    const groups = await this.groupsFor(trx, scope, subnet.vpcId, spec.securityGroups);
    const id = networkId('port');
    try {
      await this.d.interfaces.insert(trx, {
        id,
        accountId: scope.accountId,
        regionId: scope.regionId,
        az: subnet.az,
        vpcId: subnet.vpcId,
        subnetId: subnet.id,
        interfaceId: randomUUID(),
        mac: attach.mac ?? randomMac(),
        primaryIp: primary || '',
        name: spec.name ?? '',
        description: spec.description ?? '',
        securityGroupIds: groups,
        role: attach.role,
        instanceId: attach.instanceId ?? null,
        deviceIndex: attach.deviceIndex ?? null,
        autoDelete: attach.autoDelete ?? false,
      });
    } catch (err) {
      // 2^24 MACs under Kumo's prefix: a collision is rare enough to refuse rather than loop.
      if (err instanceof UniqueViolation) throw Errors.unavailable('A free MAC address');
      throw err;
    }
    const first = this.claimed(
      await this.d.interfaces.claimAddresses(trx, subnet, id, {
        ips: primary ? [primary] : [],
        count: primary ? 0 : 1,
        primary: true,
      }),
      subnet,
    );
    await this.d.interfaces.setPrimary(trx, id, first[0]!);
    if (secondaries.length + count > 0)
      this.claimed(
        await this.d.interfaces.claimAddresses(trx, subnet, id, { ips: secondaries, count, primary: false }),
        subnet,
      );
    return (await this.d.interfaces.find(scope, id, trx))!;
  }
}

/** A usable guest address of the subnet: inside it, not the network, broadcast or gateway. */
function checkAddress(field: string, ip: string, subnet: VpcSubnetRecord): string {
  const n = parseIp(ip);
  const cidr = parseCidr(subnet.cidr)!;
  const r = hostRange(cidr);
  if (n === undefined || !containsIp(cidr, n) || n < r.first || n > r.last)
    throw Errors.ipOutsideSubnet(field, ip.slice(0, 64), subnet.cidr);
  return ip;
}
