// Unit tests of the reservation decision: when an instance's address still needs a DHCP
// reservation, and when the address belongs to someone else.
import { describe, expect, it } from '@jest/globals';
import { needsReservation } from './networks.js';

const hosts = [
  { mac: '52:54:00:00:00:01', ip: '10.77.1.10', name: 'i-a' },
  { mac: '52:54:00:00:00:02', ip: '10.77.1.11', name: 'i-b' },
];

describe('needsReservation', () => {
  it('is false when the MAC already holds exactly this address', () => {
    expect(needsReservation(hosts, '52:54:00:00:00:01', '10.77.1.10')).toBe(false);
  });

  it('is true for a new MAC on a free address, and for a MAC moving to a free address', () => {
    expect(needsReservation(hosts, '52:54:00:00:00:03', '10.77.1.12')).toBe(true);
    expect(needsReservation(hosts, '52:54:00:00:00:01', '10.77.1.12')).toBe(true);
    expect(needsReservation([], '52:54:00:00:00:01', '10.77.1.10')).toBe(true);
  });

  it('refuses an address reserved for another MAC', () => {
    expect(() => needsReservation(hosts, '52:54:00:00:00:03', '10.77.1.11')).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });
});
