// The prefix arithmetic the VPC and subnet rules rest on.
import { describe, expect, it } from '@jest/globals';
import {
  carve,
  containsCidr,
  containsIp,
  formatCidr,
  formatIp,
  hostRange,
  overlaps,
  parseCidr,
  parseIp,
} from './cidr.js';

const c = (s: string) => {
  const v = parseCidr(s);
  if (!v) throw new Error(`bad test cidr ${s}`);
  return v;
};

describe('parseCidr', () => {
  it('accepts canonical prefixes and round-trips them', () => {
    for (const s of ['10.0.0.0/16', '192.168.1.0/24', '0.0.0.0/0', '10.1.2.3/32', '172.16.0.16/28']) {
      expect(formatCidr(c(s))).toBe(s);
    }
  });
  it('refuses host bits, bad octets, lengths over 32 and junk', () => {
    for (const s of [
      '10.0.0.1/16',
      '256.0.0.0/8',
      '10.0.0.0/33',
      '10.0.0/8',
      '10.0.0.0',
      '01.0.0.0/8',
      ' 10.0.0.0/8',
    ])
      expect(parseCidr(s)).toBeUndefined();
  });
});

describe('addresses', () => {
  it('parses and formats dotted quads, refusing non-addresses', () => {
    expect(formatIp(parseIp('255.255.255.255')!)).toBe('255.255.255.255');
    expect(parseIp('10.0.0.256')).toBeUndefined();
    expect(parseIp('10.0.0')).toBeUndefined();
  });
  it('plans a /24 as JD does: gateway .1, guests .2–.254', () => {
    const r = hostRange(c('10.0.1.0/24'));
    expect([formatIp(r.gateway), formatIp(r.first), formatIp(r.last), r.count]).toEqual([
      '10.0.1.1',
      '10.0.1.2',
      '10.0.1.254',
      253,
    ]);
  });
  it('leaves a /28 13 guest addresses', () => {
    expect(hostRange(c('10.0.0.16/28')).count).toBe(13);
  });
  it('knows which addresses a prefix holds', () => {
    expect(containsIp(c('10.0.1.0/24'), parseIp('10.0.1.255')!)).toBe(true);
    expect(containsIp(c('10.0.1.0/24'), parseIp('10.0.2.0')!)).toBe(false);
  });
});

describe('containment and overlap', () => {
  it('tells a subnet inside its VPC from one outside or larger', () => {
    expect(containsCidr(c('10.0.0.0/16'), c('10.0.255.0/24'))).toBe(true);
    expect(containsCidr(c('10.0.0.0/16'), c('10.0.0.0/16'))).toBe(true);
    expect(containsCidr(c('10.0.0.0/16'), c('10.1.0.0/24'))).toBe(false);
    expect(containsCidr(c('10.0.0.0/16'), c('10.0.0.0/15'))).toBe(false);
  });
  it('finds overlaps in either direction, and none between neighbours', () => {
    expect(overlaps(c('10.0.0.0/24'), c('10.0.0.128/25'))).toBe(true);
    expect(overlaps(c('10.0.0.128/25'), c('10.0.0.0/16'))).toBe(true);
    expect(overlaps(c('10.0.0.0/25'), c('10.0.0.128/25'))).toBe(false);
  });
});

describe('carve', () => {
  it('cuts a pool into numbered blocks and stops at its end', () => {
    const pool = c('10.240.0.0/12');
    expect(formatCidr(carve(pool, 16, 0)!)).toBe('10.240.0.0/16');
    expect(formatCidr(carve(pool, 16, 15)!)).toBe('10.255.0.0/16');
    expect(carve(pool, 16, 16)).toBeUndefined();
    expect(carve(pool, 8, 0)).toBeUndefined();
  });
});
