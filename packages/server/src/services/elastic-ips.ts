// Elastic IP policy of JD's vpc service: addresses drawn from the region's pools for the asked
// provider (all or nothing for maxCount; an exhausted pool is JD's quota error), bandwidth
// limits, one EIP per interface address, associate only a free EIP, delete only a free one. The
// VPC gets its gateway on the pool's external network with its first associated EIP.
import { Errors, IPV4, VPC_ID_PATTERNS } from '@kumo/contract';
import {
  containsIp,
  ELASTIC_IPS,
  parseCidr,
  parseIp,
  type EipFilter,
  type ElasticIpRecord,
  type ElasticIpsModel,
  type NetworkInterfaceRecord,
  type NetworkInterfacesModel,
  type Scope,
  type Transaction,
  type Transactions,
  type VpcsModel,
} from '@kumo/store';
import { accountNetworkLock } from './network-defaults.js';
import { networkId, randomMac } from './network-ids.js';

/** JD's bandwidth range for an EIP, in Mbps. */
export const BANDWIDTH_MBPS = { min: 1, max: 10_000 } as const;

/** Elastic IP operations. */
export class ElasticIpService {
  constructor(
    private readonly d: {
      tx: Transactions;
      vpcs: VpcsModel;
      eips: ElasticIpsModel;
      interfaces: NetworkInterfacesModel;
      quota: number;
      changed: () => void;
    },
  ) {}

  /** createElasticIps: all `maxCount` addresses or none. */
  async create(
    scope: Scope,
    req: { maxCount: number; elasticIpAddress?: string; bandwidthMbps: number; provider: string },
  ): Promise<{ elasticIpIds: string[] }> {
    if (req.maxCount < 1 || req.maxCount > 100) throw Errors.outOfRange('maxCount');
    checkBandwidth(req.bandwidthMbps);
    if (req.elasticIpAddress !== undefined) {
      if (!IPV4.test(req.elasticIpAddress))
        throw Errors.invalidParameter('elasticIpAddress', 'must be an IPv4 address');
      if (req.maxCount !== 1)
        throw Errors.invalidParameter('maxCount', 'must be 1 when elasticIpAddress is given');
    }
    const ids = await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      if ((await this.d.eips.count(scope, trx)) + req.maxCount > this.d.quota)
        throw Errors.quotaExceeded('elastic_ip');
      return this.allocate(trx, scope, req);
    });
    return { elasticIpIds: ids };
  }

  /**
   * createInstances' `elasticIp`, inside its transaction (which holds the account's network
   * lock): a new EIP owned by the instance (deleteInstance releases it) bound to the primary
   * address of its interface.
   */
  async createForInstance(
    trx: Transaction,
    scope: Scope,
    instanceId: string,
    nic: NetworkInterfaceRecord,
    spec: { bandwidthMbps: number; provider: string },
  ): Promise<void> {
    checkBandwidth(spec.bandwidthMbps);
    if ((await this.d.eips.count(scope, trx)) + 1 > this.d.quota) throw Errors.quotaExceeded('elastic_ip');
    const [id] = await this.allocate(trx, scope, { maxCount: 1, ...spec }, instanceId);
    const eip = (await this.d.eips.find(scope, id!, trx))!;
    await this.ensureGateway(trx, scope, nic.vpcId, eip.poolId);
    await this.d.eips.bind(trx, id!, { interfaceId: nic.id, privateIp: nic.primaryIp });
  }

  /** Takes `maxCount` free addresses from the provider's pools (the caller holds the account lock). */
  private async allocate(
    trx: Transaction,
    scope: Scope,
    req: { maxCount: number; elasticIpAddress?: string; bandwidthMbps: number; provider: string },
    createdWithInstanceId?: string,
  ): Promise<string[]> {
    // One allocator per region at a time; the unique (region, ip) index is the backstop.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`eip-pool:${scope.regionId}`]);
    const pools = (await this.d.eips.pools(scope.regionId, trx)).filter((p) => p.provider === req.provider);
    if (pools.length === 0)
      throw Errors.invalidParameter('elasticIpSpec.provider', `no pool for '${req.provider}'`);
    const taken = await this.d.eips.takenAddresses(trx, scope.regionId);
    const out: string[] = [];
    for (let i = 0; i < req.maxCount; i++) {
      let picked: { poolId: string; ip: string } | undefined;
      for (const pool of pools) {
        const net = (await this.d.eips.network(pool.externalNetworkId, trx))!;
        const ip = req.elasticIpAddress ?? this.d.eips.freeAddress(pool, net, taken);
        if (ip && !taken.has(ip) && (req.elasticIpAddress === undefined || inPool(pool.cidr, ip))) {
          picked = { poolId: pool.id, ip };
          break;
        }
      }
      if (!picked) {
        if (req.elasticIpAddress) throw Errors.ipInUse(req.elasticIpAddress);
        throw Errors.eipPoolExhausted(req.provider);
      }
      taken.add(picked.ip);
      const id = networkId('fip');
      await this.d.eips.insert(
        trx,
        {
          id,
          accountId: scope.accountId,
          regionId: scope.regionId,
          poolId: picked.poolId,
          ip: picked.ip,
          provider: req.provider,
          bandwidthMbps: req.bandwidthMbps,
        },
        createdWithInstanceId,
      );
      out.push(id);
    }
    return out;
  }

  /** One EIP, or NOT_FOUND. */
  async get(scope: Scope, id: string): Promise<ElasticIpRecord> {
    const e = VPC_ID_PATTERNS.elasticIp.test(id) ? await this.d.eips.find(scope, id) : undefined;
    if (!e) throw Errors.elasticIpNotFound(id.slice(0, 64));
    return e;
  }

  describe(scope: Scope, f: EipFilter, offset: number, limit: number) {
    return this.d.eips.page(scope, f, offset, limit);
  }

  /** modifyElasticIp: the bandwidth (the plane's QoS follows). */
  async modify(scope: Scope, id: string, bandwidthMbps: number) {
    checkBandwidth(bandwidthMbps);
    await this.locked(scope, id, (trx) => this.d.eips.setBandwidth(trx, id, bandwidthMbps));
    this.d.changed();
  }

  /** deleteElasticIp: only an EIP bound to nothing. */
  async delete(scope: Scope, id: string) {
    await this.locked(scope, id, async (trx, e) => {
      if (e.interfaceId) throw Errors.elasticIpAssociated(id);
      await this.d.vpcs.tombstone(trx, ELASTIC_IPS, id);
    });
    this.d.changed();
  }

  /** associateElasticIp on an interface: a free EIP to one of its addresses (the primary by default). */
  async associate(
    scope: Scope,
    interfaceId: string,
    req: { elasticIpId?: string; elasticIpAddress?: string; privateIpAddress?: string },
  ) {
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const nic = VPC_ID_PATTERNS.networkInterface.test(interfaceId)
        ? await this.d.interfaces.find(scope, interfaceId, trx)
        : undefined;
      if (!nic) throw Errors.networkInterfaceNotFound(interfaceId.slice(0, 64));
      const eip = await this.resolve(trx, scope, req);
      if (eip.interfaceId) throw Errors.elasticIpAssociated(eip.id);
      const privateIp = req.privateIpAddress ?? nic.primaryIp;
      if (privateIp !== nic.primaryIp && !nic.secondaryIps.includes(privateIp))
        throw Errors.invalidParameter(
          'privateIpAddress',
          `'${privateIp.slice(0, 64)}' is not an address of ${nic.id}`,
        );
      if ((await this.d.eips.ofInterface(trx, nic.id)).some((e) => e.privateIp === privateIp))
        throw Errors.invalidParameter('privateIpAddress', `'${privateIp}' already has an elastic IP`);
      await this.ensureGateway(trx, scope, nic.vpcId, eip.poolId);
      await this.d.eips.bind(trx, eip.id, { interfaceId: nic.id, privateIp });
    });
    this.d.changed();
  }

  /**
   * associateElasticIp on an instance (vm service): JD allows one EIP per instance, on its primary
   * interface's primary address. `primary` is the instance's primary interface id (its owner
   * checked by the caller). The check here gives JD's message; the one-EIP-per-address rule that
   * associate checks under the account's lock is what two racing calls meet.
   */
  async associateWithInstance(scope: Scope, instanceId: string, primary: string, elasticIpId: string) {
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      if ((await this.d.eips.ofInterface(trx, primary)).length > 0)
        throw Errors.instanceHasElasticIp(instanceId);
    });
    await this.associate(scope, primary, { elasticIpId });
  }

  /** disassociateElasticIp from an interface. */
  async disassociate(
    scope: Scope,
    interfaceId: string,
    req: { elasticIpId?: string; elasticIpAddress?: string },
  ) {
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const nic = VPC_ID_PATTERNS.networkInterface.test(interfaceId)
        ? await this.d.interfaces.find(scope, interfaceId, trx)
        : undefined;
      if (!nic) throw Errors.networkInterfaceNotFound(interfaceId.slice(0, 64));
      const eip = await this.resolve(trx, scope, req);
      if (eip.interfaceId !== nic.id) throw Errors.elasticIpNotAssociated(eip.id, nic.id);
      await this.d.eips.bind(trx, eip.id, null);
    });
    this.d.changed();
  }

  private async resolve(
    trx: Transaction,
    scope: Scope,
    req: { elasticIpId?: string; elasticIpAddress?: string },
  ) {
    let e: ElasticIpRecord | undefined;
    if (req.elasticIpId !== undefined) {
      e = VPC_ID_PATTERNS.elasticIp.test(req.elasticIpId)
        ? await this.d.eips.find(scope, req.elasticIpId, trx)
        : undefined;
    } else if (req.elasticIpAddress !== undefined) {
      e = await this.d.eips.findByIp(scope, req.elasticIpAddress, trx);
    } else throw Errors.missingParameter('elasticIpId');
    if (!e) throw Errors.elasticIpNotFound((req.elasticIpId ?? req.elasticIpAddress ?? '').slice(0, 64));
    return e;
  }

  /** The VPC's router port on the pool's external network, allocated from that pool once. */
  private async ensureGateway(trx: Transaction, scope: Scope, vpcId: string, poolId: string) {
    if (await this.d.eips.vpcGateway(trx, vpcId)) return;
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`eip-pool:${scope.regionId}`]);
    const pool = (await this.d.eips.pools(scope.regionId, trx)).find((p) => p.id === poolId)!;
    const net = (await this.d.eips.network(pool.externalNetworkId, trx))!;
    const ip = this.d.eips.freeAddress(pool, net, await this.d.eips.takenAddresses(trx, scope.regionId));
    if (!ip) throw Errors.eipPoolExhausted(pool.provider);
    await this.d.eips.setVpcGateway(trx, vpcId, { networkId: net.id, ip, mac: randomMac() });
  }

  private async locked(
    scope: Scope,
    id: string,
    fn: (trx: Transaction, e: ElasticIpRecord) => Promise<void>,
  ) {
    if (!VPC_ID_PATTERNS.elasticIp.test(id)) throw Errors.elasticIpNotFound(id.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const e = await this.d.eips.find(scope, id, trx);
      if (!e) throw Errors.elasticIpNotFound(id);
      await fn(trx, e);
    });
  }
}

function checkBandwidth(mbps: number): void {
  if (mbps < BANDWIDTH_MBPS.min || mbps > BANDWIDTH_MBPS.max) throw Errors.outOfRange('bandwidthMbps');
}

function inPool(cidr: string, ip: string): boolean {
  const n = parseIp(ip);
  return n !== undefined && containsIp(parseCidr(cidr)!, n);
}
