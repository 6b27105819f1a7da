// security_groups and security_group_rules: an account's groups per VPC and their rules. Every
// change to the rules bumps the group's generation so the converger pushes the new ACLs.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { pageOf } from '../paging.js';
import type { Scope } from './keypairs.js';

export const SECURITY_GROUPS = 'security_groups';
const RULES = 'security_group_rules';

/** One rule as stored. */
export interface RuleRecord {
  id: string;
  direction: 'ingress' | 'egress';
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  fromPort: number | null;
  toPort: number | null;
  cidr: string;
  action: 'allow' | 'deny';
  priority: number;
  description: string;
  createdAt: Date;
}

/** A security group with its rules. */
export interface SecurityGroupRecord {
  id: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  name: string;
  description: string;
  isDefault: boolean;
  createdAt: Date;
  rules: RuleRecord[];
}

interface GroupRow {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  name: string;
  description: string;
  is_default: boolean;
  created_at: Date;
}
interface RuleRow {
  id: string;
  group_id: string;
  direction: RuleRecord['direction'];
  protocol: RuleRecord['protocol'];
  from_port: number | null;
  to_port: number | null;
  cidr: string;
  action: RuleRecord['action'];
  priority: number;
  description: string;
  created_at: Date;
}

const toRule = (r: RuleRow): RuleRecord => ({
  id: r.id,
  direction: r.direction,
  protocol: r.protocol,
  fromPort: r.from_port,
  toPort: r.to_port,
  cidr: r.cidr,
  action: r.action,
  priority: r.priority,
  description: r.description,
  createdAt: r.created_at,
});

/** A rule to insert. */
export type NewRule = Omit<RuleRecord, 'createdAt'>;

/** Group list filters. */
export interface GroupFilter {
  ids?: string[];
  names?: string[];
  vpcIds?: string[];
}

/** Queries over security groups. */
export class SecurityGroupsModel {
  constructor(private readonly db: Database) {}

  private live(q: Database | Transaction, scope: Scope) {
    return q(SECURITY_GROUPS).where({
      account_id: scope.accountId,
      region_id: scope.regionId,
      deleting: false,
    });
  }

  private async withRules(q: Database | Transaction, rows: GroupRow[]): Promise<SecurityGroupRecord[]> {
    if (rows.length === 0) return [];
    const rules: RuleRow[] = await q<RuleRow>(RULES)
      .whereIn(
        'group_id',
        rows.map((r) => r.id),
      )
      .orderBy([{ column: 'priority' }, { column: 'created_at' }, { column: 'id' }]);
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      regionId: r.region_id,
      vpcId: r.vpc_id,
      name: r.name,
      description: r.description,
      isDefault: r.is_default,
      createdAt: r.created_at,
      rules: rules.filter((x) => x.group_id === r.id).map(toRule),
    }));
  }

  /** Inserts a group with its rules. */
  async insert(
    trx: Transaction,
    g: Omit<SecurityGroupRecord, 'createdAt' | 'rules'>,
    rules: NewRule[],
  ): Promise<void> {
    await trx(SECURITY_GROUPS).insert({
      id: g.id,
      account_id: g.accountId,
      region_id: g.regionId,
      vpc_id: g.vpcId,
      name: g.name,
      description: g.description,
      is_default: g.isDefault,
    });
    await this.insertRules(trx, g.id, rules);
  }

  private async insertRules(trx: Transaction, groupId: string, rules: NewRule[]): Promise<void> {
    if (rules.length === 0) return;
    await trx(RULES).insert(
      rules.map((r, i) => ({
        // Rules added together keep the order they were given in (ties in priority are listed
        // by age): a millisecond apart (what a JS Date resolves), as now() would give them all
        // the same instant.
        created_at: trx.raw("clock_timestamp() + ? * interval '1 millisecond'", [i]),
        id: r.id,
        group_id: groupId,
        direction: r.direction,
        protocol: r.protocol,
        from_port: r.fromPort,
        to_port: r.toPort,
        cidr: r.cidr,
        action: r.action,
        priority: r.priority,
        description: r.description,
      })),
    );
  }

  /** One live group of the account (optionally locked for a rule change). */
  async find(scope: Scope, id: string, trx?: Transaction): Promise<SecurityGroupRecord | undefined> {
    const q = this.live(trx ?? this.db, scope).where({ id });
    if (trx) q.forUpdate();
    const rows = (await q) as GroupRow[];
    return (await this.withRules(trx ?? this.db, rows))[0];
  }

  /** Live groups of the account by id (for a port's group list). */
  async findMany(scope: Scope, ids: string[], trx?: Transaction): Promise<SecurityGroupRecord[]> {
    const rows = (await this.live(trx ?? this.db, scope).whereIn('id', ids)) as GroupRow[];
    return this.withRules(trx ?? this.db, rows);
  }

  /** The default group of a VPC. */
  async defaultOf(vpcId: string, trx?: Transaction): Promise<SecurityGroupRecord | undefined> {
    const rows = (await (trx ?? this.db)(SECURITY_GROUPS).where({
      vpc_id: vpcId,
      is_default: true,
      deleting: false,
    })) as GroupRow[];
    return (await this.withRules(trx ?? this.db, rows))[0];
  }

  /** Groups of a VPC, default ones included. */
  async ofVpc(trx: Transaction, vpcId: string): Promise<{ id: string; isDefault: boolean }[]> {
    const rows = (await trx(SECURITY_GROUPS).where({ vpc_id: vpcId, deleting: false })) as GroupRow[];
    return rows.map((r) => ({ id: r.id, isDefault: r.is_default }));
  }

  /** One page of live groups. */
  async page(scope: Scope, f: GroupFilter, offset: number, limit: number) {
    const q = this.live(this.db, scope);
    if (f.ids) q.whereIn('id', f.ids);
    if (f.names) q.whereIn('name', f.names);
    if (f.vpcIds) q.whereIn('vpc_id', f.vpcIds);
    const { rows, total } = await pageOf(q as never, offset, limit);
    return { items: await this.withRules(this.db, rows as GroupRow[]), total };
  }

  /** Name and description; false when no such live group. */
  async update(scope: Scope, id: string, patch: { name?: string; description?: string }): Promise<boolean> {
    if (Object.keys(patch).length === 0) return !!(await this.find(scope, id));
    return (await this.live(this.db, scope).where({ id }).update(patch)) > 0;
  }

  /**
   * Changes a group's rules in the caller's transaction (the group row locked by `find`):
   * removes, updates and adds, then bumps the generation so the plane gets the new ACLs.
   */
  async changeRules(
    trx: Transaction,
    groupId: string,
    change: { add?: NewRule[]; remove?: string[]; modify?: { id: string; patch: Partial<NewRule> }[] },
  ): Promise<void> {
    if (change.remove?.length)
      await trx(RULES).where({ group_id: groupId }).whereIn('id', change.remove).delete();
    for (const m of change.modify ?? []) {
      const p = m.patch;
      await trx(RULES)
        .where({ group_id: groupId, id: m.id })
        .update({
          ...(p.protocol !== undefined ? { protocol: p.protocol } : {}),
          ...(p.fromPort !== undefined ? { from_port: p.fromPort } : {}),
          ...(p.toPort !== undefined ? { to_port: p.toPort } : {}),
          ...(p.cidr !== undefined ? { cidr: p.cidr } : {}),
          ...(p.priority !== undefined ? { priority: p.priority } : {}),
          ...(p.action !== undefined ? { action: p.action } : {}),
          ...(p.description !== undefined ? { description: p.description } : {}),
        });
    }
    await this.insertRules(trx, groupId, change.add ?? []);
    await trx(SECURITY_GROUPS)
      .where({ id: groupId })
      .update({ generation: trx.raw('generation + 1') });
  }

  /** Live interfaces that use the group (what blocks deleting it). */
  async users(trx: Transaction, groupId: string): Promise<number> {
    const [{ n }] = (await trx('network_interfaces')
      .where({ deleting: false })
      .whereRaw('? = ANY(security_group_ids)', [groupId])
      .count({ n: '*' })) as [{ n: number }];
    return n;
  }

  /** How many live groups the account holds in the region. */
  async count(scope: Scope): Promise<number> {
    const [{ n }] = (await this.live(this.db, scope).count({ n: '*' })) as unknown as [{ n: number }];
    return n;
  }
}
