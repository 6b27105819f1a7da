// Security group policy of JD's vpc service: JD's rule specs (numeric protocol and direction)
// into Kumo's rules, port ranges only for TCP/UDP, priorities 1–100, rule quotas per group; a
// group in use or a VPC's default group cannot be deleted on its own.
import { Errors, VPC_ID_PATTERNS } from '@kumo/contract';
import {
  formatCidr,
  parseCidr,
  SECURITY_GROUPS,
  type GroupFilter,
  type NetworkInterfacesModel,
  type NewRule,
  type RuleRecord,
  type Scope,
  type SecurityGroupsModel,
  type Transactions,
  type VpcsModel,
} from '@kumo/store';
import type { NetworkConfig } from '../config-network.js';
import { checkName } from './network-checks.js';
import { accountNetworkLock, type NetworkDefaults } from './network-defaults.js';
import { networkId } from './network-ids.js';

/** JD's numeric protocols. */
export const JD_PROTOCOLS: Record<number, RuleRecord['protocol']> = {
  300: 'all',
  6: 'tcp',
  17: 'udp',
  1: 'icmp',
};
/** JD's numeric directions. */
export const JD_DIRECTIONS: Record<number, RuleRecord['direction']> = { 0: 'ingress', 1: 'egress' };

/** A rule spec as addNetworkSecurityGroupRules takes it. */
export interface RuleSpec {
  protocol: number;
  direction: number;
  addressPrefix: string;
  ruleAction?: string;
  priority?: number;
  fromPort?: number;
  toPort?: number;
  description?: string;
}

/** A rule change as modifyNetworkSecurityGroupRules takes it. */
export interface RuleChange extends Partial<Omit<RuleSpec, 'direction'>> {
  ruleId: string;
}

function protocolOf(field: string, n: number): RuleRecord['protocol'] {
  const p = JD_PROTOCOLS[n];
  if (!p) throw Errors.invalidParameter(field, 'must be 300 (all), 6 (TCP), 17 (UDP) or 1 (ICMP)');
  return p;
}

function actionOf(field: string, a: string | undefined): RuleRecord['action'] | undefined {
  if (a === undefined) return undefined;
  const v = a.toLowerCase();
  if (v !== 'allow' && v !== 'deny') throw Errors.invalidParameter(field, 'must be ALLOW or DENY');
  return v;
}

function cidrOf(field: string, text: string): string {
  const c = parseCidr(text);
  if (!c)
    throw Errors.invalidAddressPrefix(field, 'must be an IPv4 prefix such as 0.0.0.0/0, without host bits');
  return formatCidr(c);
}

/** Checks ports against the protocol: TCP/UDP take [1, 65535] (absent = all), others none. */
function portsOf(
  field: string,
  protocol: RuleRecord['protocol'],
  from: number | undefined,
  to: number | undefined,
): { fromPort: number | null; toPort: number | null } {
  if (protocol !== 'tcp' && protocol !== 'udp') {
    if (from !== undefined || to !== undefined)
      throw Errors.invalidParameter(field, `protocol ${protocol} has no ports`);
    return { fromPort: null, toPort: null };
  }
  if (from === undefined && to === undefined) return { fromPort: 1, toPort: 65535 };
  const f = from ?? to!;
  const t = to ?? from!;
  for (const p of [f, t]) if (p < 1 || p > 65535) throw Errors.outOfRange(`${field}.fromPort/toPort`);
  if (f > t) throw Errors.invalidParameter(field, 'fromPort must not exceed toPort');
  return { fromPort: f, toPort: t };
}

function priorityOf(field: string, p: number | undefined): number | undefined {
  if (p !== undefined && (p < 1 || p > 100)) throw Errors.outOfRange(`${field}.priority`);
  return p;
}

/** Turns JD rule specs into rules, or throws the first problem's JD error. */
export function rulesFromSpecs(specs: RuleSpec[], field = 'networkSecurityGroupRuleSpecs'): NewRule[] {
  return specs.map((s, i) => {
    const f = `${field}.${i + 1}`;
    const protocol = protocolOf(`${f}.protocol`, s.protocol);
    const direction = JD_DIRECTIONS[s.direction];
    if (!direction) throw Errors.invalidParameter(`${f}.direction`, 'must be 0 (ingress) or 1 (egress)');
    return {
      id: networkId('rule'),
      direction,
      protocol,
      ...portsOf(f, protocol, s.fromPort, s.toPort),
      cidr: cidrOf(`${f}.addressPrefix`, s.addressPrefix),
      action: actionOf(`${f}.ruleAction`, s.ruleAction) ?? 'allow',
      priority: priorityOf(f, s.priority) ?? 100,
      description: s.description ?? '',
    };
  });
}

/** Security group operations. */
export class SecurityGroupService {
  constructor(
    private readonly d: {
      tx: Transactions;
      vpcs: VpcsModel;
      groups: SecurityGroupsModel;
      interfaces: NetworkInterfacesModel;
      defaults: NetworkDefaults;
      quotas: NetworkConfig['quotas'];
      changed: () => void;
    },
  ) {}

  /** createNetworkSecurityGroup (optionally with rules). */
  async create(scope: Scope, req: { vpcId: string; name: string; description?: string; rules?: RuleSpec[] }) {
    checkName('networkSecurityGroupName', req.name);
    const rules = rulesFromSpecs(req.rules ?? []);
    if (rules.length > this.d.quotas.securityGroupRule) throw Errors.quotaExceeded('security_group_rule');
    await this.d.defaults.ensure(scope);
    const id = networkId('sg');
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const vpc = VPC_ID_PATTERNS.vpc.test(req.vpcId)
        ? await this.d.vpcs.findVpc(scope, req.vpcId, trx)
        : undefined;
      if (!vpc) throw Errors.vpcNotFound(req.vpcId.slice(0, 64));
      if ((await this.d.groups.count(scope)) >= this.d.quotas.securityGroup)
        throw Errors.quotaExceeded('security_group');
      await this.d.groups.insert(
        trx,
        {
          id,
          accountId: scope.accountId,
          regionId: scope.regionId,
          vpcId: vpc.id,
          name: req.name,
          description: req.description ?? '',
          isDefault: false,
        },
        rules,
      );
    });
    this.d.changed();
    return { networkSecurityGroupId: id };
  }

  /** One group with its rules, or NOT_FOUND. */
  async get(scope: Scope, id: string) {
    await this.d.defaults.ensure(scope);
    const g = VPC_ID_PATTERNS.securityGroup.test(id) ? await this.d.groups.find(scope, id) : undefined;
    if (!g) throw Errors.securityGroupNotFound(id.slice(0, 64));
    return { ...g, networkInterfaceIds: (await this.d.interfaces.usingGroups([id])).get(id) ?? [] };
  }

  /** describeNetworkSecurityGroups. */
  async describe(scope: Scope, f: GroupFilter, offset: number, limit: number) {
    await this.d.defaults.ensure(scope);
    const page = await this.d.groups.page(scope, f, offset, limit);
    const users = await this.d.interfaces.usingGroups(page.items.map((g) => g.id));
    return { ...page, items: page.items.map((g) => ({ ...g, networkInterfaceIds: users.get(g.id) ?? [] })) };
  }

  /** modifyNetworkSecurityGroup: name and description. */
  async modify(scope: Scope, id: string, patch: { name?: string; description?: string }) {
    if (patch.name !== undefined) checkName('networkSecurityGroupName', patch.name);
    if (!VPC_ID_PATTERNS.securityGroup.test(id) || !(await this.d.groups.update(scope, id, patch)))
      throw Errors.securityGroupNotFound(id.slice(0, 64));
  }

  /** deleteNetworkSecurityGroup: not a default group, not one an interface uses. */
  async delete(scope: Scope, id: string) {
    if (!VPC_ID_PATTERNS.securityGroup.test(id)) throw Errors.securityGroupNotFound(id.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const g = await this.d.groups.find(scope, id, trx);
      if (!g) throw Errors.securityGroupNotFound(id);
      if (g.isDefault) throw Errors.defaultSecurityGroup(id);
      if ((await this.d.groups.users(trx, id)) > 0) throw Errors.securityGroupInUse(id);
      await this.d.vpcs.tombstone(trx, SECURITY_GROUPS, id);
    });
    this.d.changed();
  }

  /** add/remove/modifyNetworkSecurityGroupRules: one transaction, one new generation. */
  async changeRules(
    scope: Scope,
    id: string,
    change: { add?: RuleSpec[]; remove?: string[]; modify?: RuleChange[] },
  ) {
    const add = rulesFromSpecs(change.add ?? []);
    if (!VPC_ID_PATTERNS.securityGroup.test(id)) throw Errors.securityGroupNotFound(id.slice(0, 64));
    await this.d.tx.run(async (trx) => {
      const g = await this.d.groups.find(scope, id, trx);
      if (!g) throw Errors.securityGroupNotFound(id);
      const byId = new Map(g.rules.map((r) => [r.id, r]));
      for (const r of change.remove ?? []) if (!byId.has(r)) throw Errors.ruleNotFound(r.slice(0, 64));
      const modify = (change.modify ?? []).map((m, i) => {
        const f = `modifySecurityGroupRuleSpecs.${i + 1}`;
        const old = byId.get(m.ruleId);
        if (!old) throw Errors.ruleNotFound(m.ruleId.slice(0, 64));
        const protocol = m.protocol !== undefined ? protocolOf(`${f}.protocol`, m.protocol) : old.protocol;
        const keepPorts = m.protocol === undefined && m.fromPort === undefined && m.toPort === undefined;
        const ports = keepPorts
          ? { fromPort: old.fromPort, toPort: old.toPort }
          : portsOf(
              f,
              protocol,
              m.fromPort ?? (m.protocol === undefined ? (old.fromPort ?? undefined) : undefined),
              m.toPort ?? (m.protocol === undefined ? (old.toPort ?? undefined) : undefined),
            );
        return {
          id: m.ruleId,
          patch: {
            protocol,
            ...ports,
            ...(m.addressPrefix !== undefined ? { cidr: cidrOf(`${f}.addressPrefix`, m.addressPrefix) } : {}),
            ...(m.ruleAction !== undefined ? { action: actionOf(`${f}.ruleAction`, m.ruleAction)! } : {}),
            ...(m.priority !== undefined ? { priority: priorityOf(f, m.priority)! } : {}),
            ...(m.description !== undefined ? { description: m.description } : {}),
          },
        };
      });
      const after = g.rules.length - (change.remove?.length ?? 0) + add.length;
      if (after > this.d.quotas.securityGroupRule) throw Errors.quotaExceeded('security_group_rule');
      await this.d.groups.changeRules(trx, id, { add, remove: change.remove, modify });
    });
    this.d.changed();
  }
}
