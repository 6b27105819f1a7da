// network_interfaces and subnet_addresses: an account's interfaces (logical switch ports) and
// every address they hold. subnet_addresses' key (subnet, ip) makes an address impossible to
// hand out twice, whoever allocates it; the gateway and JD's reserved first/last addresses are
// never offered. Instances of the NAT era keep their addresses in instances.private_ip; both
// allocators take the subnet's lock and skip each other's addresses.
import type { Database } from '../db.js';
import { translatePgErrors } from '../errors.js';
import type { Transaction } from '../locks.js';
import { formatIp, hostRange, parseCidr } from '../network/cidr.js';
import { pageOf } from '../paging.js';
import type { Scope } from './keypairs.js';

export const NETWORK_INTERFACES = 'network_interfaces';
const ADDRESSES = 'subnet_addresses';

/** A network interface with its addresses. */
export interface NetworkInterfaceRecord {
  id: string;
  accountId: string;
  regionId: string;
  az: string;
  vpcId: string;
  subnetId: string;
  interfaceId: string;
  mac: string;
  primaryIp: string;
  secondaryIps: string[];
  name: string;
  description: string;
  securityGroupIds: string[];
  role: 'Primary' | 'Secondary';
  instanceId: string | null;
  deviceIndex: number | null;
  autoDelete: boolean;
  /** The attach or detach in flight (see interface-attachments.ts), if any. */
  attachTask: 'attach' | 'detach' | null;
  /** Why the last attach or detach failed. */
  attachError: string | null;
  createdAt: Date;
}

interface Row {
  id: string;
  account_id: string;
  region_id: string;
  az: string;
  vpc_id: string;
  subnet_id: string;
  interface_id: string;
  mac: string;
  primary_ip: string;
  name: string;
  description: string;
  security_group_ids: string[];
  role: 'Primary' | 'Secondary';
  instance_id: string | null;
  device_index: number | null;
  auto_delete: boolean;
  attach_task: 'attach' | 'detach' | null;
  attach_error: string | null;
  created_at: Date;
}

/** A new interface: `primaryIp` absent means "the lowest free address". */
export type NewNetworkInterface = Omit<
  NetworkInterfaceRecord,
  'createdAt' | 'primaryIp' | 'secondaryIps' | 'attachTask' | 'attachError'
> & {
  primaryIp?: string;
  secondaryIps: string[];
  secondaryCount: number;
};

/** Interface list filters. */
export interface InterfaceFilter {
  ids?: string[];
  names?: string[];
  vpcIds?: string[];
  subnetIds?: string[];
  roles?: string[];
  azs?: string[];
  instanceIds?: string[];
}

/** Why addresses could not be had. */
export type AddressProblem = { problem: 'in-use'; ip: string } | { problem: 'exhausted' };

/** Queries over network interfaces and their addresses. */
export class NetworkInterfacesModel {
  constructor(private readonly db: Database) {}

  private live(q: Database | Transaction, scope: Scope) {
    return q(NETWORK_INTERFACES).where({
      account_id: scope.accountId,
      region_id: scope.regionId,
      deleting: false,
    });
  }

  private async withAddresses(q: Database | Transaction, rows: Row[]): Promise<NetworkInterfaceRecord[]> {
    if (rows.length === 0) return [];
    const addrs: { interface_id: string; ip: string; is_primary: boolean }[] = await q(ADDRESSES)
      .whereIn(
        'interface_id',
        rows.map((r) => r.id),
      )
      .orderBy('ip');
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      regionId: r.region_id,
      az: r.az,
      vpcId: r.vpc_id,
      subnetId: r.subnet_id,
      interfaceId: r.interface_id,
      mac: r.mac,
      primaryIp: r.primary_ip,
      secondaryIps: addrs.filter((a) => a.interface_id === r.id && !a.is_primary).map((a) => a.ip),
      name: r.name,
      description: r.description,
      securityGroupIds: r.security_group_ids,
      role: r.role,
      instanceId: r.instance_id,
      deviceIndex: r.device_index,
      autoDelete: r.auto_delete,
      attachTask: r.attach_task,
      attachError: r.attach_error,
      createdAt: r.created_at,
    }));
  }

  /** Addresses in use in a subnet (interfaces' and NAT-era instances'). */
  private async used(trx: Transaction, subnetId: string): Promise<Set<string>> {
    const a: { ip: string }[] = await trx(ADDRESSES).where({ subnet_id: subnetId }).select('ip');
    const i: { ip: string }[] = await trx('instances')
      .where({ subnet_id: subnetId })
      .select({ ip: 'private_ip' });
    return new Set([...a, ...i].map((r) => r.ip));
  }

  /**
   * Claims addresses for an interface: the given ones (each must be free) and `count` more, the
   * lowest free first. Returns what it claimed, or why it could not (nothing claimed then: the
   * caller's transaction rolls back).
   */
  async claimAddresses(
    trx: Transaction,
    subnet: { id: string; cidr: string },
    interfaceId: string,
    want: { ips: string[]; count: number; primary: boolean },
  ): Promise<string[] | AddressProblem> {
    // The same per-subnet lock InstancesModel.insert takes: the two allocators never interleave.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`subnet:${subnet.id}`]);
    const used = await this.used(trx, subnet.id);
    for (const ip of want.ips) if (used.has(ip)) return { problem: 'in-use', ip };
    const out = [...want.ips];
    const r = hostRange(parseCidr(subnet.cidr)!);
    for (let n = r.first; out.length < want.ips.length + want.count; n++) {
      if (n > r.last) return { problem: 'exhausted' };
      const ip = formatIp(n);
      if (!used.has(ip) && !out.includes(ip)) out.push(ip);
    }
    for (const [i, ip] of out.entries()) {
      const inserted = await trx(ADDRESSES)
        .insert({ subnet_id: subnet.id, ip, interface_id: interfaceId, is_primary: want.primary && i === 0 })
        .onConflict(['subnet_id', 'ip'])
        .ignore()
        .returning('ip');
      // Taken since we looked (another allocator, outside our lock): the caller retries or refuses.
      if (inserted.length === 0) return { problem: 'in-use', ip };
    }
    return out;
  }

  /** Inserts an interface row (its addresses are claimed after, in the same transaction). */
  async insert(
    trx: Transaction,
    n: Omit<NewNetworkInterface, 'secondaryIps' | 'secondaryCount'> & { primaryIp: string },
  ) {
    await translatePgErrors(() =>
      trx(NETWORK_INTERFACES).insert({
        id: n.id,
        account_id: n.accountId,
        region_id: n.regionId,
        az: n.az,
        vpc_id: n.vpcId,
        subnet_id: n.subnetId,
        interface_id: n.interfaceId,
        mac: n.mac,
        primary_ip: n.primaryIp,
        name: n.name,
        description: n.description,
        security_group_ids: n.securityGroupIds,
        role: n.role,
        instance_id: n.instanceId,
        device_index: n.deviceIndex,
        auto_delete: n.autoDelete,
      }),
    );
  }

  /** Sets the primary address once claimed. */
  async setPrimary(trx: Transaction, id: string, ip: string): Promise<void> {
    await trx(NETWORK_INTERFACES).where({ id }).update({ primary_ip: ip });
  }

  /** One live interface of the account (locked when in a transaction). */
  async find(scope: Scope, id: string, trx?: Transaction): Promise<NetworkInterfaceRecord | undefined> {
    const q = this.live(trx ?? this.db, scope).where({ id });
    if (trx) q.forUpdate();
    return (await this.withAddresses(trx ?? this.db, (await q) as Row[]))[0];
  }

  /** One interface by id, whoever owns it (workers). */
  async get(id: string): Promise<NetworkInterfaceRecord | undefined> {
    const rows = (await this.db(NETWORK_INTERFACES).where({ id })) as Row[];
    return (await this.withAddresses(this.db, rows))[0];
  }

  /** One page of live interfaces. */
  async page(scope: Scope, f: InterfaceFilter, offset: number, limit: number) {
    const q = this.live(this.db, scope);
    if (f.ids) q.whereIn('id', f.ids);
    if (f.names) q.whereIn('name', f.names);
    if (f.vpcIds) q.whereIn('vpc_id', f.vpcIds);
    if (f.subnetIds) q.whereIn('subnet_id', f.subnetIds);
    if (f.roles) q.whereIn('role', f.roles);
    if (f.azs) q.whereIn('az', f.azs);
    if (f.instanceIds) q.whereIn('instance_id', f.instanceIds);
    const { rows, total } = await pageOf(q as never, offset, limit);
    return { items: await this.withAddresses(this.db, rows as Row[]), total };
  }

  /** Live interfaces of an instance, primary first. */
  async ofInstance(trx: Transaction | undefined, instanceId: string): Promise<NetworkInterfaceRecord[]> {
    trx ??= this.db as unknown as Transaction;
    const rows = (await trx(NETWORK_INTERFACES)
      .where({ instance_id: instanceId, deleting: false })
      .orderBy('device_index')) as Row[];
    return this.withAddresses(trx, rows);
  }

  /** The live interfaces attached to any of `instanceIds` (describeInstances' network fields). */
  async ofInstances(instanceIds: string[]): Promise<NetworkInterfaceRecord[]> {
    if (instanceIds.length === 0) return [];
    const rows = (await this.db(NETWORK_INTERFACES)
      .whereIn('instance_id', instanceIds)
      .andWhere({ deleting: false })
      .orderBy(['instance_id', 'device_index'])) as Row[];
    return this.withAddresses(this.db, rows);
  }

  /** Changes what the plane must see (groups) and/or what it need not (name); bumps the generation when asked. */
  async update(
    trx: Transaction,
    id: string,
    patch: { name?: string; description?: string; securityGroupIds?: string[]; instanceId?: null },
    bump: boolean,
  ): Promise<void> {
    await trx(NETWORK_INTERFACES)
      .where({ id })
      .update({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.securityGroupIds !== undefined ? { security_group_ids: patch.securityGroupIds } : {}),
        ...(patch.instanceId === null ? { instance_id: null, device_index: null, auto_delete: false } : {}),
        ...(bump ? { generation: trx.raw('generation + 1') } : {}),
      });
  }

  /** Frees secondary addresses of an interface and bumps its generation. */
  async releaseSecondaries(trx: Transaction, id: string, ips: string[]): Promise<void> {
    await trx(ADDRESSES).where({ interface_id: id, is_primary: false }).whereIn('ip', ips).delete();
    await trx(NETWORK_INTERFACES)
      .where({ id })
      .update({ generation: trx.raw('generation + 1') });
  }

  /** Bumps the generation (new secondaries were claimed). */
  async bump(trx: Transaction, id: string): Promise<void> {
    await trx(NETWORK_INTERFACES)
      .where({ id })
      .update({ generation: trx.raw('generation + 1') });
  }

  /**
   * Lets go of an instance's elastic IPs before its interfaces go: EIPs created with the instance
   * become tombstones, the others are unbound from the interface (both bump the generation, so
   * the plane drops the NAT rule before the port).
   */
  async releaseElasticIps(trx: Transaction, interfaceId: string, instanceId: string): Promise<void> {
    await trx('elastic_ips')
      .where({ interface_id: interfaceId, deleting: false })
      .update({
        interface_id: null,
        private_ip: null,
        deleting: trx.raw('created_with_instance_id IS NOT DISTINCT FROM ?', [instanceId]),
        generation: trx.raw('generation + 1'),
      });
  }

  /**
   * An instance is going (its row is deleted in the same transaction): EIPs created with it are
   * released and other EIPs on its autoDelete interfaces unbound; autoDelete interfaces become
   * tombstones (the plane drops their ports, then their addresses are free), the others are
   * detached and become available. Idempotent: a second call finds nothing attached.
   */
  async releaseInstance(trx: Transaction, instanceId: string): Promise<void> {
    await releaseInstanceInterfaces(trx, instanceId);
  }

  /** Elastic IPs bound to an interface (what blocks deleting it). */
  async elasticIps(trx: Transaction, id: string): Promise<number> {
    const [{ n }] = (await trx('elastic_ips')
      .where({ interface_id: id, deleting: false })
      .count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /** How many live interfaces the account holds in the region. */
  async count(scope: Scope, trx?: Transaction): Promise<number> {
    const [{ n }] = (await this.live(trx ?? this.db, scope).count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /** Ids of live interfaces using a group (describeNetworkSecurityGroups' networkInterfaceIds). */
  async usingGroups(groupIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(groupIds.map((g) => [g, []]));
    if (groupIds.length === 0) return out;
    const rows: { id: string; security_group_ids: string[] }[] = await this.db(NETWORK_INTERFACES)
      .where({ deleting: false })
      .whereRaw('security_group_ids && ?::text[]', [groupIds])
      .select('id', 'security_group_ids');
    for (const r of rows) for (const g of r.security_group_ids) out.get(g)?.push(r.id);
    return out;
  }
}

/** {@link NetworkInterfacesModel.releaseInstance}, for the store's own instance deletions. */
export async function releaseInstanceInterfaces(trx: Transaction, instanceId: string): Promise<void> {
  const nics: { id: string; auto_delete: boolean }[] = await trx(NETWORK_INTERFACES)
    .where({ instance_id: instanceId, deleting: false })
    .select('id', 'auto_delete');
  for (const nic of nics) {
    await trx('elastic_ips')
      .where({ interface_id: nic.id, deleting: false })
      .update({
        interface_id: null,
        private_ip: null,
        deleting: trx.raw('created_with_instance_id IS NOT DISTINCT FROM ?', [instanceId]),
        generation: trx.raw('generation + 1'),
      });
    await trx(NETWORK_INTERFACES)
      .where({ id: nic.id })
      .update(
        nic.auto_delete
          ? { deleting: true, attach_task: null, attach_owner: null, generation: trx.raw('generation + 1') }
          : {
              instance_id: null,
              device_index: null,
              auto_delete: false,
              attach_task: null,
              attach_owner: null,
              generation: trx.raw('generation + 1'),
            },
      );
  }
}
