// The vpc service's input rules as pure functions: prefixes, names and JD rule specs.
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@kumo/contract';
import { checkName, checkPrefix } from './network-checks.js';
import { rulesFromSpecs } from './security-groups.js';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return `${e.code} ${e.status}`;
    throw e;
  }
  return 'ok';
};

describe('checkPrefix', () => {
  it('accepts /16–/28 inside the private ranges', () => {
    for (const p of ['10.0.0.0/16', '172.31.255.240/28', '192.168.0.0/16', '10.255.0.0/24'])
      expect(statusOf(() => checkPrefix('addressPrefix', p))).toBe('ok');
  });
  it('refuses other lengths, public space, host bits and junk with 400 INVALID_ARGUMENT', () => {
    for (const p of ['10.0.0.0/15', '10.0.0.0/29', '11.0.0.0/16', '172.32.0.0/16', '10.0.0.1/24', 'ten'])
      expect(statusOf(() => checkPrefix('addressPrefix', p))).toBe('400 INVALID_ARGUMENT');
  });
});

describe('checkName', () => {
  it("follows JD's rule: 1-32 Chinese characters, letters, digits, _ and -", () => {
    expect(statusOf(() => checkName('vpcName', '默认-vpc_1'))).toBe('ok');
    for (const n of ['', 'a b', 'x'.repeat(33), 'a.b'])
      expect(statusOf(() => checkName('vpcName', n))).not.toBe('ok');
  });
});

describe('rulesFromSpecs', () => {
  const spec = (r: object) => ({ protocol: 6, direction: 0, addressPrefix: '0.0.0.0/0', ...r });
  it("maps JD's numbers to rules, TCP without ports meaning every port", () => {
    const [tcp, icmp] = rulesFromSpecs([
      spec({}),
      spec({ protocol: 1, direction: 1, ruleAction: 'DENY', priority: 5 }),
    ]);
    expect(tcp).toMatchObject({
      protocol: 'tcp',
      direction: 'ingress',
      fromPort: 1,
      toPort: 65535,
      action: 'allow',
      priority: 100,
    });
    expect(icmp).toMatchObject({
      protocol: 'icmp',
      direction: 'egress',
      fromPort: null,
      toPort: null,
      action: 'deny',
      priority: 5,
    });
  });
  it('takes one port as a range of one', () => {
    expect(rulesFromSpecs([spec({ fromPort: 22 })])[0]).toMatchObject({ fromPort: 22, toPort: 22 });
  });
  it.each([
    ['port 0', { fromPort: 0, toPort: 1 }, '400 OUT_OF_RANGE'],
    ['port 65536', { fromPort: 1, toPort: 65536 }, '400 OUT_OF_RANGE'],
    ['reversed ports', { fromPort: 9, toPort: 8 }, '400 INVALID_ARGUMENT'],
    ['ports on ICMP', { protocol: 1, fromPort: 8 }, '400 INVALID_ARGUMENT'],
    ['protocol 2', { protocol: 2 }, '400 INVALID_ARGUMENT'],
    ['direction 2', { direction: 2 }, '400 INVALID_ARGUMENT'],
    ['priority 101', { priority: 101 }, '400 OUT_OF_RANGE'],
    ['action DROP', { ruleAction: 'DROP' }, '400 INVALID_ARGUMENT'],
    ['prefix with host bits', { addressPrefix: '10.0.0.1/8' }, '400 INVALID_ARGUMENT'],
  ])('refuses %s', (_what, r, status) => {
    expect(statusOf(() => rulesFromSpecs([spec(r)]))).toBe(status);
  });
});
