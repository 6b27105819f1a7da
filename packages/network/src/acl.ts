// ACL and QoS rows built from security group rules and elastic IPs: small pure functions, tested on
// their output, separate from the code that writes them (Neutron's acl.py). Every value in a match
// comes from a validated rule, so a match's meaning cannot be changed by input.
import type { PlaneRule } from './plane.js';
import { DEFAULT_DROP_GROUP, K, Kind, portGroupName } from './names.js';
import { PlaneInputError } from './errors.js';
import { checkCidr, checkId, checkInt, checkOneOf } from './validate.js';

/** An ACL as Kumo wants it (the columns it writes). */
export interface AclSpec {
  direction: 'from-lport' | 'to-lport';
  priority: number;
  match: string;
  action: 'allow-related' | 'allow' | 'drop';
  externalIds: Record<string, string>;
}

/** The default-drop group's priority: below every rule, above OVN's own defaults. */
export const DROP_PRIORITY = 1001;
/** JD priority 100 (last) maps here, 1 (first) to RULE_PRIORITY_TOP. */
export const RULE_PRIORITY_BASE = 1002;
export const RULE_PRIORITY_TOP = RULE_PRIORITY_BASE + 99;
/** Baseline allows (DHCP requests) sit above every rule so no deny can break address assignment. */
export const BASELINE_PRIORITY = RULE_PRIORITY_TOP + 1;

/** OVN priority for a JD rule priority: lower JD number = evaluated first = higher OVN priority. */
export function ovnPriority(jdPriority: number): number {
  return RULE_PRIORITY_TOP - (checkInt('priority', jdPriority, 1, 100) - 1);
}

/** The ACL of one rule of group `sgId`. */
export function ruleAcl(sgId: string, rule: PlaneRule): AclSpec {
  checkId('rule.id', rule.id);
  const direction = checkOneOf('rule.direction', rule.direction, ['ingress', 'egress'] as const);
  const protocol = checkOneOf('rule.protocol', rule.protocol, ['tcp', 'udp', 'icmp', 'all'] as const);
  const action = checkOneOf('rule.action', rule.action, ['allow', 'deny'] as const);
  const cidr = checkCidr('rule.cidr', rule.cidr);
  const pg = portGroupName(sgId);
  // Ingress is traffic delivered to the port (to-lport); egress is what the port sends (from-lport).
  const parts = [direction === 'ingress' ? `outport == @${pg}` : `inport == @${pg}`, 'ip4'];
  if (cidr.prefix > 0) parts.push(`${direction === 'ingress' ? 'ip4.src' : 'ip4.dst'} == ${cidr.text}`);
  if (protocol === 'icmp') parts.push('icmp4');
  if (protocol === 'tcp' || protocol === 'udp') {
    parts.push(protocol);
    parts.push(...portRange(protocol, rule.fromPort, rule.toPort));
  } else if (rule.fromPort !== undefined || rule.toPort !== undefined) {
    throw new PlaneInputError('rule.fromPort', `protocol ${protocol} has no ports`);
  }
  return {
    direction: direction === 'ingress' ? 'to-lport' : 'from-lport',
    priority: ovnPriority(rule.priority),
    match: parts.join(' && '),
    action: action === 'allow' ? 'allow-related' : 'drop',
    externalIds: { [K.kind]: Kind.sg, [K.sg]: sgId, [K.rule]: rule.id },
  };
}

function portRange(protocol: 'tcp' | 'udp', from?: number, to?: number): string[] {
  if (from === undefined && to === undefined) return [];
  const lo = checkInt('rule.fromPort', from ?? to, 1, 65535);
  const hi = checkInt('rule.toPort', to ?? from, 1, 65535);
  if (lo > hi) throw new PlaneInputError('rule.toPort', `${hi} is below fromPort ${lo}`);
  if (lo === hi) return [`${protocol}.dst == ${lo}`];
  if (lo === 1 && hi === 65535) return [];
  return [`${protocol}.dst >= ${lo}`, `${protocol}.dst <= ${hi}`];
}

/** Every ACL of a group, in rule order. */
export function groupAcls(sgId: string, rules: PlaneRule[]): AclSpec[] {
  return rules.map((r) => ruleAcl(sgId, r));
}

/**
 * The default-drop group's ACLs: IP dropped both ways for every Kumo port, and the one baseline
 * egress allow that lets a port ask OVN's native DHCP for its address (OVN answers with its own
 * high-priority reply flows). ARP is not IP, so it is never dropped here; port security still
 * limits it to the port's own addresses.
 */
export function defaultDropAcls(): AclSpec[] {
  const ids = { [K.kind]: Kind.defaultDrop };
  const pg = DEFAULT_DROP_GROUP;
  return [
    {
      direction: 'from-lport',
      priority: DROP_PRIORITY,
      match: `inport == @${pg} && ip`,
      action: 'drop',
      externalIds: ids,
    },
    {
      direction: 'to-lport',
      priority: DROP_PRIORITY,
      match: `outport == @${pg} && ip`,
      action: 'drop',
      externalIds: ids,
    },
    {
      direction: 'from-lport',
      priority: BASELINE_PRIORITY,
      match: `inport == @${pg} && ip4 && udp.src == 68 && udp.dst == 67`,
      action: 'allow',
      externalIds: ids,
    },
  ];
}

/** A QoS row as Kumo wants it on the external switch. */
export interface QosSpec {
  direction: 'from-lport';
  priority: number;
  match: string;
  /** kbit/s and kbit, as OVN's bandwidth column takes them. */
  rate: number;
  burst: number;
  externalIds: Record<string, string>;
}

/**
 * Bandwidth limits of an elastic IP, both measured where its traffic crosses the external switch:
 * inbound as it arrives from the provider network (localnet port), outbound as it leaves the VPC
 * router's gateway port already translated to the EIP. 0 Mbps means unlimited (no rows).
 */
export function eipQos(o: {
  eipId: string;
  vpcId: string;
  ip: string;
  bandwidthMbps: number;
  localnetPort: string;
  gatewayPort: string;
}): QosSpec[] {
  const mbps = checkInt('bandwidthMbps', o.bandwidthMbps, 0, 100_000);
  if (mbps === 0) return [];
  const rate = mbps * 1000;
  const externalIds = { [K.kind]: Kind.eip, [K.eip]: o.eipId, [K.vpc]: o.vpcId };
  const common = { direction: 'from-lport' as const, priority: 100, rate, burst: rate, externalIds };
  return [
    { ...common, match: `inport == "${o.localnetPort}" && ip4.dst == ${o.ip}` },
    { ...common, match: `inport == "${o.gatewayPort}" && ip4.src == ${o.ip}` },
  ];
}
