// Unit tests of capacity arithmetic: floor after overcommit, and fail-closed comparisons.
import fc from 'fast-check';
import { fits, free, usable } from './capacity.js';

describe('capacity', () => {
  it('floors total × ratio', () => {
    expect(usable({ total: 16, used: 0, ratio: 1.5 })).toBe(24);
    expect(usable({ total: 3, used: 0, ratio: 1.1 })).toBe(3);
    expect(usable({ total: 1024, used: 0, ratio: 0.9 })).toBe(921);
  });

  it('agrees with exact arithmetic for integer totals and two-decimal ratios (numeric(6,2) in the store)', () => {
    expect(usable({ total: 100, used: 0, ratio: 0.29 })).toBe(29);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000 }),
        fc.integer({ min: 1, max: 9999 }),
        (total, cents) => {
          const exact = Number((BigInt(total) * BigInt(cents)) / 100n);
          expect(usable({ total, used: 0, ratio: cents / 100 })).toBe(exact);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reports free as usable − used, negative when over', () => {
    expect(free({ total: 10, used: 4, ratio: 1 })).toBe(6);
    expect(free({ total: 10, used: 12, ratio: 1 })).toBe(-2);
  });

  it('fits exactly up to the last unit', () => {
    expect(fits({ total: 10, used: 4, ratio: 1 }, 6)).toBe(true);
    expect(fits({ total: 10, used: 4, ratio: 1 }, 7)).toBe(false);
  });

  it('never fits when anything is NaN', () => {
    expect(fits({ total: NaN, used: 0, ratio: 1 }, 0)).toBe(false);
    expect(fits({ total: 10, used: 0, ratio: 1 }, NaN)).toBe(false);
  });

  it('gives nothing to a 0-sized request on an already-overcommitted host', () => {
    expect(fits({ total: 10, used: 11, ratio: 1 }, 0)).toBe(false);
  });
});
