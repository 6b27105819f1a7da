// Ids and MAC addresses of network objects, and the rules of a default security group.
import { randomBytes } from 'node:crypto';
import { randomAlnum, type NewRule } from '@kumo/store';

/** A new id of a vpc object, e.g. `vpc-3kq8m2x9p0`. */
export const networkId = (prefix: 'vpc' | 'subnet' | 'sg' | 'rule' | 'port' | 'fip' | 'extnet' | 'eippool') =>
  `${prefix}-${randomAlnum(10)}`;

/**
 * Kumo's MAC prefix: locally administered (bit 1 of the first octet set), unicast, "KM" in the
 * next two octets. Router ports and guest interfaces draw the last three octets at random; the
 * unique index on network_interfaces.mac turns a collision into a retry.
 */
export const KUMO_OUI = '02:4b:4d';

/** A random MAC under {@link KUMO_OUI}. */
export function randomMac(): string {
  return `${KUMO_OUI}:${randomBytes(3).toString('hex').match(/../g)!.join(':')}`;
}

/**
 * What a default security group allows, as JD's default group does: every egress, ingress ICMP
 * (ping) and SSH (TCP 22) from anywhere. Traffic between members of one group and DHCP are the
 * plane's own rules, not rows here.
 */
export function defaultGroupRules(): NewRule[] {
  const any = '0.0.0.0/0';
  const rule = (r: Omit<NewRule, 'id' | 'action' | 'priority' | 'description'>, description: string) => ({
    id: networkId('rule'),
    action: 'allow' as const,
    priority: 100,
    description,
    ...r,
  });
  return [
    rule({ direction: 'egress', protocol: 'all', fromPort: null, toPort: null, cidr: any }, 'all egress'),
    rule({ direction: 'ingress', protocol: 'icmp', fromPort: null, toPort: null, cidr: any }, 'ping'),
    rule({ direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: any }, 'ssh'),
  ];
}
