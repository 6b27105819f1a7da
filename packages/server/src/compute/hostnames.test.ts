import fc from 'fast-check';
import { checkRequestedHostname, hostnameFor } from './hostnames.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

describe('hostnames', () => {
  it('makes valid names from names that are not', () => {
    expect(hostnameFor({ name: '-web', id: 'i-1', index: 1, count: 1 })).toBe('web');
    expect(hostnameFor({ name: 'web-', id: 'i-1', index: 1, count: 1 })).toBe('web');
    expect(hostnameFor({ name: 'Web Server_01', id: 'i-1', index: 2, count: 3 })).toBe('web-server-01-2');
    expect(hostnameFor({ name: '数据库', id: 'i-abc', index: 1, count: 1 })).toBe('i-abc');
    expect(hostnameFor({ name: 'a'.repeat(63), id: 'i-1', index: 10, count: 10 })).toBe(
      `${'a'.repeat(60)}-10`,
    );
  });

  it('every derived hostname is a DNS label, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 1, max: 100 }), (name, count) => {
        const h = hostnameFor({ name, id: 'i-abcdefgh1234', index: count, count });
        expect(h).toMatch(LABEL);
      }),
    );
  });

  it('refuses a requested hostname that the suffix would push past 63 characters', () => {
    expect(() => checkRequestedHostname('a'.repeat(63), 1)).not.toThrow();
    expect(() => checkRequestedHostname('a'.repeat(63), 2)).toThrow(/63/);
    expect(() => checkRequestedHostname('a'.repeat(61), 9)).not.toThrow();
    expect(() => checkRequestedHostname('-web', 1)).toThrow();
    expect(hostnameFor({ requested: 'Db', name: 'x', id: 'i-1', index: 2, count: 2 })).toBe('db-2');
  });
});
