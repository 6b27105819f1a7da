// Admin policy for the provider side of elastic IPs: external networks (a provider network on
// gateway hosts' bridge mappings: prefix, upstream gateway, physical network name, VLAN, gateway
// chassis) and EIP pools (prefixes inside an external network, per region and provider, never
// overlapping). A network with pools, or a pool with EIPs, cannot be removed.
import { Errors, IPV4, VPC_ID_PATTERNS } from '@kumo/contract';
import {
  containsCidr,
  containsIp,
  EXTERNAL_NETWORKS,
  formatCidr,
  overlaps,
  parseCidr,
  parseIp,
  type ElasticIpsModel,
  type Transactions,
  type VpcsModel,
} from '@kumo/store';
import { networkId } from './network-ids.js';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** External networks and EIP pools (admin). */
export class ExternalNetworkService {
  constructor(
    private readonly d: {
      tx: Transactions;
      eips: ElasticIpsModel;
      vpcs: VpcsModel;
      defaultRegion: string;
      changed: () => void;
    },
  ) {}

  async create(req: {
    regionId?: string;
    cidr: string;
    gateway: string;
    physicalNetwork: string;
    vlan?: number;
    gatewayChassis?: string[];
  }) {
    const cidr = parseCidr(req.cidr);
    if (!cidr || cidr.length > 30) throw Errors.invalidParameter('cidr', 'must be an IPv4 prefix up to /30');
    const gw = IPV4.test(req.gateway) ? parseIp(req.gateway) : undefined;
    if (gw === undefined || !containsIp(cidr, gw))
      throw Errors.invalidParameter('gateway', `must be an address in ${req.cidr}`);
    if (!NAME.test(req.physicalNetwork))
      throw Errors.invalidParameter('physicalNetwork', 'use 1-64 letters, digits, _ . -');
    if (req.vlan !== undefined && (req.vlan < 1 || req.vlan > 4094)) throw Errors.outOfRange('vlan');
    for (const c of req.gatewayChassis ?? [])
      if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(c))
        throw Errors.invalidParameter('gatewayChassis', 'not a chassis name');
    const id = networkId('extnet');
    await this.d.eips.insertNetwork({
      id,
      regionId: req.regionId ?? this.d.defaultRegion,
      cidr: formatCidr(cidr),
      gateway: req.gateway,
      physicalNetwork: req.physicalNetwork,
      vlan: req.vlan ?? null,
      gatewayChassis: req.gatewayChassis ?? [],
    });
    this.d.changed();
    return { externalNetworkId: id };
  }

  list() {
    return this.d.eips.networks();
  }

  async delete(id: string) {
    await this.d.tx.run(async (trx) => {
      const net = VPC_ID_PATTERNS.externalNetwork.test(id) ? await this.d.eips.network(id, trx) : undefined;
      if (!net) throw Errors.externalNetworkNotFound(id.slice(0, 64));
      if ((await this.d.eips.pools(undefined, trx)).some((p) => p.externalNetworkId === id))
        throw Errors.inUse(`ExternalNetwork '${id}' (it has EIP pools)`);
      await this.d.vpcs.tombstone(trx, EXTERNAL_NETWORKS, id);
    });
    this.d.changed();
  }

  async createPool(req: { regionId?: string; externalNetworkId: string; cidr: string; provider?: string }) {
    const cidr = parseCidr(req.cidr);
    if (!cidr) throw Errors.invalidParameter('cidr', 'must be an IPv4 prefix without host bits');
    const provider = req.provider ?? 'bgp';
    if (!/^[a-z0-9_-]{1,32}$/.test(provider))
      throw Errors.invalidParameter('provider', 'use 1-32 a-z, 0-9, _ -');
    const id = networkId('eippool');
    await this.d.tx.locked('eip-pools', async (trx) => {
      const net = VPC_ID_PATTERNS.externalNetwork.test(req.externalNetworkId)
        ? await this.d.eips.network(req.externalNetworkId, trx)
        : undefined;
      if (!net) throw Errors.externalNetworkNotFound(req.externalNetworkId.slice(0, 64));
      if (!containsCidr(parseCidr(net.cidr)!, cidr))
        throw Errors.invalidParameter('cidr', `must lie inside the external network's ${net.cidr}`);
      for (const p of await this.d.eips.pools(undefined, trx))
        if (overlaps(parseCidr(p.cidr)!, cidr))
          throw Errors.invalidParameter('cidr', `overlaps pool ${p.id}`);
      await this.d.eips.insertPool(trx, {
        id,
        regionId: req.regionId ?? net.regionId,
        externalNetworkId: net.id,
        cidr: formatCidr(cidr),
        provider,
      });
    });
    return { eipPoolId: id };
  }

  listPools() {
    return this.d.eips.pools();
  }

  async deletePool(id: string) {
    await this.d.tx.locked('eip-pools', async (trx) => {
      const pool = (await this.d.eips.pools(undefined, trx)).find((p) => p.id === id);
      if (!pool) throw Errors.eipPoolNotFound(id.slice(0, 64));
      if ((await this.d.eips.poolUsers(trx, id)) > 0)
        throw Errors.inUse(`EipPool '${id}' (it has elastic IPs)`);
      await this.d.eips.deletePool(trx, id);
    });
  }
}
