// Tencent's security group policies over Kumo's rules. A policy is {Protocol, Port, CidrBlock,
// Action} in the Ingress or Egress list; its PolicyIndex is its place in that list, which is
// Kumo's rule order (priority, then age). Only what Kumo's rules hold is accepted: an IPv4
// CidrBlock (no templates, no group references, no IPv6) and one port or one range.
import { TencentErrors } from '@kumo/contract';
import type { RuleRecord } from '@kumo/store';
import { z } from 'zod';
import type { RuleSpec } from '../../../services/security-groups.js';
import { vpcTime } from './views.js';

/** One SecurityGroupPolicy as the SDK sends it. */
export const policyParam = z.strictObject({
  PolicyIndex: z.number().int().min(0).optional(),
  Protocol: z.string().max(16).optional(),
  Port: z.string().max(64).optional(),
  ServiceTemplate: z.unknown().optional(),
  CidrBlock: z.string().max(64).optional(),
  Ipv6CidrBlock: z.string().max(64).optional(),
  SecurityGroupId: z.string().max(128).optional(),
  AddressTemplate: z.unknown().optional(),
  Action: z.string().max(16).optional(),
  PolicyDescription: z.string().max(100).optional(),
  ModifyTime: z.string().max(32).optional(),
  Priority: z.number().int().optional(),
});
export type Policy = z.infer<typeof policyParam>;

/** A SecurityGroupPolicySet parameter. */
export const policySetParam = z.strictObject({
  Version: z.string().max(32).optional(),
  Egress: z.array(policyParam).max(100).optional(),
  Ingress: z.array(policyParam).max(100).optional(),
  PolicyStatistics: z.unknown().optional(),
});
export type PolicySet = z.infer<typeof policySetParam>;

const PROTOCOLS: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ALL: 300 };
const PROTOCOL_NAMES: Record<RuleRecord['protocol'], string> = {
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMP',
  all: 'ALL',
};
const ACTIONS: Record<string, string> = { ACCEPT: 'allow', DROP: 'deny' };

/** The rules of one direction in Tencent's policy order. */
export function ordered(rules: RuleRecord[], direction: RuleRecord['direction']): RuleRecord[] {
  return rules
    .filter((r) => r.direction === direction)
    .sort(
      (a, b) =>
        a.priority - b.priority || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
    );
}

/** Tencent's Port of a rule: ALL, one port or `from-to`. */
function portOf(r: RuleRecord): string {
  if (r.fromPort === null || (r.fromPort === 1 && r.toPort === 65535)) return 'ALL';
  return r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`;
}

/** A SecurityGroupPolicy of a rule at `index`. */
export function policyView(r: RuleRecord, index: number) {
  return {
    PolicyIndex: index,
    Protocol: PROTOCOL_NAMES[r.protocol],
    Port: portOf(r),
    CidrBlock: r.cidr,
    Ipv6CidrBlock: '',
    SecurityGroupId: '',
    Action: r.action === 'allow' ? 'ACCEPT' : 'DROP',
    PolicyDescription: r.description,
    ModifyTime: vpcTime(r.createdAt),
    Priority: r.priority,
  };
}

/** The policy set of a group's rules. */
export function policySetView(rules: RuleRecord[]) {
  const ingress = ordered(rules, 'ingress').map(policyView);
  const egress = ordered(rules, 'egress').map(policyView);
  return {
    Version: String(rules.length),
    Ingress: ingress,
    Egress: egress,
    PolicyStatistics: {
      IngressIPv4TotalCount: ingress.length,
      IngressIPv6TotalCount: 0,
      EgressIPv4TotalCount: egress.length,
      EgressIPv6TotalCount: 0,
    },
  };
}

/** Tencent's protocol name, upper-cased; undefined when absent. */
function protocolName(field: string, p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  const name = p.toUpperCase();
  if (!(name in PROTOCOLS)) throw TencentErrors.invalidParameterValue(field, 'TCP, UDP, ICMP or ALL');
  return name;
}

/** The ports of a Port value (ALL or absent: none given). */
function portsOf(field: string, port: string | undefined): { fromPort?: number; toPort?: number } {
  if (port === undefined || port.toUpperCase() === 'ALL') return {};
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port);
  if (!m)
    throw TencentErrors.invalidParameterValue(field, 'ALL, a port such as 80 or a range such as 8000-8080');
  return { fromPort: Number(m[1]), toPort: Number(m[2] ?? m[1]) };
}

/** Kumo's rule spec of a policy to add, or Tencent's error for what Kumo's rules cannot hold. */
export function specOf(p: Policy, direction: 0 | 1, field: string): RuleSpec {
  if (
    p.SecurityGroupId ||
    p.AddressTemplate !== undefined ||
    p.ServiceTemplate !== undefined ||
    p.Ipv6CidrBlock
  )
    throw TencentErrors.unsupportedOperation(`${field}: group references, templates and IPv6`);
  if (p.CidrBlock === undefined) throw TencentErrors.missingParameter(`${field}.CidrBlock`);
  const protocol = protocolName(`${field}.Protocol`, p.Protocol) ?? 'ALL';
  const ports = portsOf(`${field}.Port`, p.Port);
  if ((protocol === 'ALL' || protocol === 'ICMP') && ports.fromPort !== undefined)
    throw TencentErrors.invalidParameterValue(`${field}.Port`, `must be ALL for protocol ${protocol}`);
  if (p.Action === undefined) throw TencentErrors.missingParameter(`${field}.Action`);
  const action = ACTIONS[p.Action.toUpperCase()];
  if (!action) throw TencentErrors.invalidParameterValue(`${field}.Action`, 'ACCEPT or DROP');
  return {
    protocol: PROTOCOLS[protocol]!,
    direction,
    addressPrefix: p.CidrBlock,
    ruleAction: action,
    ...(p.Priority !== undefined ? { priority: p.Priority } : {}),
    ...ports,
    ...(p.PolicyDescription !== undefined ? { description: p.PolicyDescription } : {}),
  };
}

/**
 * The rules of one direction a delete names: by PolicyIndex, or by matching Protocol, Port,
 * CidrBlock and Action (Tencent's two ways); a policy that matches nothing is not found.
 */
export function rulesNamed(rules: RuleRecord[], policies: Policy[], field: string): string[] {
  return policies.map((p, i) => {
    const f = `${field}.${i}`;
    if (p.PolicyIndex !== undefined) {
      const r = rules[p.PolicyIndex];
      if (!r) throw TencentErrors.resourceNotFound('policy', `${f}.PolicyIndex ${p.PolicyIndex}`);
      return r.id;
    }
    // Matching needs the policy's whole identity, so a sparse match cannot pick an arbitrary rule.
    for (const m of ['Protocol', 'CidrBlock', 'Action'] as const)
      if (p[m] === undefined) throw TencentErrors.missingParameter(`${f}.${m}`);
    const protocol = protocolName(`${f}.Protocol`, p.Protocol);
    const ports = portsOf(`${f}.Port`, p.Port);
    const port =
      ports.fromPort === undefined
        ? 'ALL'
        : ports.fromPort === ports.toPort
          ? String(ports.fromPort)
          : `${ports.fromPort}-${ports.toPort}`;
    const action = ACTIONS[p.Action!.toUpperCase()];
    if (!action) throw TencentErrors.invalidParameterValue(`${f}.Action`, 'ACCEPT or DROP');
    const r = rules.find(
      (r) =>
        PROTOCOL_NAMES[r.protocol] === protocol &&
        portOf(r) === port &&
        r.cidr === p.CidrBlock &&
        r.action === action,
    );
    if (!r) throw TencentErrors.resourceNotFound('policy', f);
    return r.id;
  });
}
