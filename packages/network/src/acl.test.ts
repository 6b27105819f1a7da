// Unit tests of the pure parts of the OVN driver: ACLs from rules (matches, priorities, refusals),
// the default-drop group, EIP QoS rows, validators, and child-row syncing by content.
import { describe, expect, it } from '@jest/globals';
import {
  BASELINE_PRIORITY,
  DROP_PRIORITY,
  defaultDropAcls,
  eipQos,
  groupAcls,
  ovnPriority,
  ruleAcl,
} from './acl.js';
import { PlaneInputError } from './errors.js';
import { dhcpOptions } from './logical.js';
import { portGroupName } from './names.js';
import type { PlaneRule } from './plane.js';
import { syncChildren } from './tx.js';
import { checkCidr, checkIpIn, checkMac, checkId } from './validate.js';

const rule = (r: Partial<PlaneRule>): PlaneRule => ({
  id: 'r1',
  direction: 'ingress',
  protocol: 'tcp',
  cidr: '0.0.0.0/0',
  action: 'allow',
  priority: 1,
  ...r,
});

describe('security group ACLs', () => {
  it('maps JD priority 1..100 above the default drop, 1 highest', () => {
    expect(ovnPriority(1)).toBe(1101);
    expect(ovnPriority(100)).toBe(1002);
    expect(ovnPriority(100)).toBeGreaterThan(DROP_PRIORITY);
    expect(ovnPriority(1)).toBeLessThan(BASELINE_PRIORITY);
    expect(() => ovnPriority(0)).toThrow(PlaneInputError);
    expect(() => ovnPriority(101)).toThrow(PlaneInputError);
  });

  it('writes ingress as to-lport on the group with source and destination port', () => {
    expect(ruleAcl('sg-1', rule({ fromPort: 22, toPort: 22, cidr: '10.0.0.0/8' }))).toEqual({
      direction: 'to-lport',
      priority: 1101,
      match: 'outport == @pg_sg_1 && ip4 && ip4.src == 10.0.0.0/8 && tcp && tcp.dst == 22',
      action: 'allow-related',
      externalIds: { 'kumo:kind': 'security-group', 'kumo:sg-id': 'sg-1', 'kumo:rule-id': 'r1' },
    });
  });

  it('writes egress as from-lport, ranges, icmp, all, and deny as drop', () => {
    const [a, b, c, d] = groupAcls('sg-1', [
      rule({ direction: 'egress', protocol: 'udp', fromPort: 1000, toPort: 2000, priority: 50 }),
      rule({ protocol: 'icmp' }),
      rule({ protocol: 'all', direction: 'egress', cidr: '192.0.2.0/24' }),
      rule({ action: 'deny', fromPort: 1, toPort: 65535 }),
    ]);
    expect(a).toMatchObject({
      direction: 'from-lport',
      priority: 1052,
      match: 'inport == @pg_sg_1 && ip4 && udp && udp.dst >= 1000 && udp.dst <= 2000',
    });
    expect(b!.match).toBe('outport == @pg_sg_1 && ip4 && icmp4');
    expect(c!.match).toBe('inport == @pg_sg_1 && ip4 && ip4.dst == 192.0.2.0/24');
    expect(d).toMatchObject({ action: 'drop', match: 'outport == @pg_sg_1 && ip4 && tcp' });
  });

  it.each([
    ['ports on icmp', rule({ protocol: 'icmp', fromPort: 1 })],
    ['ports reversed', rule({ fromPort: 10, toPort: 5 })],
    ['port 0', rule({ fromPort: 0, toPort: 5 })],
    ['a CIDR with host bits', rule({ cidr: '10.0.0.1/8' })],
    ['a match injection in the CIDR', rule({ cidr: '0.0.0.0/0 || 1' })],
    ['an unknown protocol', rule({ protocol: 'sctp' as never })],
    ['an unknown direction', rule({ direction: 'both' as never })],
    ['an id with a quote', rule({ id: 'r"1' })],
  ])('refuses %s', (_, r) => {
    expect(() => ruleAcl('sg-1', r)).toThrow(PlaneInputError);
  });

  it('drops IP both ways in the default group but lets DHCP requests out above every rule', () => {
    const acls = defaultDropAcls();
    expect(acls.filter((a) => a.action === 'drop').map((a) => [a.direction, a.priority, a.match])).toEqual([
      ['from-lport', 1001, 'inport == @kumo_default_drop && ip'],
      ['to-lport', 1001, 'outport == @kumo_default_drop && ip'],
    ]);
    expect(acls.find((a) => a.action === 'allow')).toMatchObject({
      priority: BASELINE_PRIORITY,
      match: expect.stringContaining('udp.dst == 67'),
    });
  });

  it('names port groups as OVN requires (no dashes)', () => {
    expect(portGroupName('sg-ab-12')).toBe('pg_sg_ab_12');
  });
});

describe('EIP QoS', () => {
  const base = {
    eipId: 'eip-1',
    vpcId: 'vpc-1',
    ip: '192.0.2.9',
    localnetPort: 'ln-x',
    gatewayPort: 'gw-vpc-1',
  };
  it('limits both directions on the external switch in kbit/s', () => {
    const q = eipQos({ ...base, bandwidthMbps: 5 });
    expect(q.map((r) => [r.match, r.rate])).toEqual([
      ['inport == "ln-x" && ip4.dst == 192.0.2.9', 5000],
      ['inport == "gw-vpc-1" && ip4.src == 192.0.2.9', 5000],
    ]);
  });
  it('writes no rows for 0 (unlimited) and refuses negatives', () => {
    expect(eipQos({ ...base, bandwidthMbps: 0 })).toEqual([]);
    expect(() => eipQos({ ...base, bandwidthMbps: -1 })).toThrow(PlaneInputError);
  });
});

describe('DHCP options', () => {
  it('uses OVN syntax for the resolver list', () => {
    expect(
      dhcpOptions({
        gateway: '10.0.1.1',
        gatewayMac: '02:00:00:00:00:01',
        dns: ['10.0.0.2', '1.1.1.1'],
        mtu: 1400,
      }),
    ).toEqual({
      router: '10.0.1.1',
      server_id: '10.0.1.1',
      server_mac: '02:00:00:00:00:01',
      lease_time: '86400',
      mtu: '1400',
      dns_server: '{10.0.0.2, 1.1.1.1}',
    });
  });
});

describe('validators', () => {
  it('accepts good values and refuses bad ones', () => {
    expect(checkCidr('c', '10.0.0.0/8').prefix).toBe(8);
    expect(() => checkCidr('c', '10.0.0.0/33')).toThrow(PlaneInputError);
    expect(() => checkCidr('c', '256.0.0.0/8')).toThrow(PlaneInputError);
    expect(checkIpIn('ip', '10.1.2.3', checkCidr('c', '10.0.0.0/8'))).toBe('10.1.2.3');
    expect(() => checkIpIn('ip', '11.0.0.1', checkCidr('c', '10.0.0.0/8'))).toThrow(/outside/);
    expect(() => checkMac('m', '01:00:00:00:00:01')).toThrow(/multicast/);
    expect(() => checkMac('m', '02:00:00:00:00:0G')).toThrow(PlaneInputError);
    expect(() => checkId('id', 'Vpc-1')).toThrow(PlaneInputError);
    expect(() => checkId('id', 'vpc-')).toThrow(PlaneInputError);
    expect(() => checkId('id', 'a'.repeat(65))).toThrow(PlaneInputError);
  });
});

describe('syncChildren', () => {
  it('keeps rows whose content is wanted, adds the rest, drops duplicates and leftovers', () => {
    const u = (n: number): ['uuid', string] => ['uuid', `00000000-0000-4000-8000-00000000000${n}`];
    const s = syncChildren(
      [
        { _uuid: u(1), match: 'a' },
        { _uuid: u(2), match: 'a' },
        { _uuid: u(3), match: 'old' },
      ],
      [{ match: 'a' }, { match: 'new' }, { match: 'new' }],
      (r) => String(r.match),
    );
    expect(s).toEqual({ keep: [u(1)], add: [{ match: 'new' }], drop: [u(2), u(3)] });
  });
});
