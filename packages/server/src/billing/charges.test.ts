// JD's charge model, pure: ChargeSpec validation, month arithmetic, what a prepaid charge refuses.
import { describe, expect, test } from '@jest/globals';
import { sampleInstance } from '../testing/fake-tasks.js';
import { addMonths, ChargePolicy, parseChargeSpec, requirePostpaid } from './charges.js';

const F = 'InstanceSpec.Charge';

describe('parseChargeSpec', () => {
  test('defaults to postpaid_by_duration, and a prepaid period to one month', () => {
    expect(parseChargeSpec(undefined, F)).toEqual({ mode: 'postpaid_by_duration' });
    expect(parseChargeSpec({ chargeMode: 'postpaid_by_usage' }, F)).toEqual({ mode: 'postpaid_by_usage' });
    expect(parseChargeSpec({ chargeMode: 'prepaid_by_duration' }, F)).toEqual({
      mode: 'prepaid_by_duration',
      unit: 'month',
      duration: 1,
    });
    expect(
      parseChargeSpec({ chargeMode: 'prepaid_by_duration', chargeUnit: 'year', chargeDuration: 3 }, F),
    ).toEqual({
      mode: 'prepaid_by_duration',
      unit: 'year',
      duration: 3,
    });
  });

  test.each([
    [{ chargeMode: 'monthly' }, /Invalid parameter InstanceSpec.Charge.ChargeMode/],
    [{ chargeMode: 'prepaid_by_duration', chargeUnit: 'week' }, /ChargeUnit: must be month or year/],
    [{ chargeMode: 'prepaid_by_duration', chargeDuration: 10 }, /ChargeDuration out of range/],
    [
      { chargeMode: 'prepaid_by_duration', chargeUnit: 'year', chargeDuration: 4 },
      /ChargeDuration out of range/,
    ],
    [{ chargeMode: 'prepaid_by_duration', chargeDuration: 0 }, /ChargeDuration out of range/],
    [{ chargeMode: 'postpaid_by_duration', chargeDuration: 1 }, /only prepaid_by_duration/],
  ])('%j is refused', (spec, message) => {
    expect(() => parseChargeSpec(spec, F)).toThrow(message);
  });
});

test('disks and elastic IPs take postpaid_by_duration only: other modes are refused, not ignored', () => {
  expect(() => requirePostpaid(undefined, 'DiskSpec.Charge')).not.toThrow();
  expect(() => requirePostpaid({}, 'DiskSpec.Charge')).not.toThrow();
  expect(() => requirePostpaid({ chargeMode: 'postpaid_by_duration' }, 'DiskSpec.Charge')).not.toThrow();
  expect(() =>
    requirePostpaid({ chargeMode: 'prepaid_by_duration', chargeDuration: 2 }, 'DiskSpec.Charge'),
  ).toThrow(
    'DiskSpec.Charge.ChargeMode prepaid_by_duration (disks and elastic IPs are postpaid_by_duration) is not supported by this cloud',
  );
  expect(() => requirePostpaid({ chargeMode: 'postpaid_by_usage' }, 'ElasticIpSpec.ChargeSpec')).toThrow(
    /ElasticIpSpec\.ChargeSpec\.ChargeMode postpaid_by_usage/,
  );
  expect(() => requirePostpaid({ chargeMode: 'monthly' }, 'DiskSpec.Charge')).toThrow(
    /Invalid parameter DiskSpec\.Charge\.ChargeMode/,
  );
  expect(() => requirePostpaid('x', 'DiskSpec.Charge')).toThrow(/Invalid parameter DiskSpec\.Charge/);
});

test('months keep the day, or the last day of a shorter month', () => {
  expect(addMonths(new Date('2026-01-31T08:00:00Z'), 1).toISOString()).toBe('2026-02-28T08:00:00.000Z');
  expect(addMonths(new Date('2026-03-15T00:00:00Z'), 12).toISOString()).toBe('2027-03-15T00:00:00.000Z');
  expect(addMonths(new Date('2026-11-30T00:00:00Z'), 3).toISOString()).toBe('2027-02-28T00:00:00.000Z');
});

describe('ChargePolicy', () => {
  let now = new Date('2026-03-01T10:00:00Z');
  const policy = new ChargePolicy(() => now, 3600);
  const prepaid = policy.chargeFor({ mode: 'prepaid_by_duration', unit: 'month', duration: 1 });

  test('a prepaid charge expires after its period and retires one grace period later', () => {
    expect(prepaid).toEqual({
      mode: 'prepaid_by_duration',
      startAt: now,
      expiresAt: new Date('2026-04-01T10:00:00Z'),
      retireAt: new Date('2026-04-01T11:00:00Z'),
      phase: 'active',
    });
  });

  test('refuses deleting an unexpired prepaid instance and starting an expired one', () => {
    const inst = sampleInstance({ id: 'i-prepaid0001', charge: prepaid });
    expect(() => policy.check(inst, 'delete')).toThrow(
      'Instance i-prepaid0001 is prepaid_by_duration and has not expired, it cannot be deleted',
    );
    expect(() => policy.check(inst, 'stop')).not.toThrow();
    expect(policy.status(inst.charge)).toBe('normal');
    now = new Date('2026-04-01T10:00:00Z');
    expect(policy.status(inst.charge)).toBe('expired');
    expect(() => policy.check(inst, 'delete')).not.toThrow();
    const expired = sampleInstance({ charge: { ...prepaid, phase: 'expired' } });
    expect(() => policy.check(expired, 'start')).toThrow(/has expired: renew it first/);
    expect(() => policy.check(sampleInstance(), 'delete')).not.toThrow();
  });

  test('renewal extends from the expiry while it lies ahead, from now once it has passed', () => {
    now = new Date('2026-03-20T00:00:00Z');
    expect(policy.renewedExpiry(prepaid.expiresAt!, 'month', 2).expiresAt.toISOString()).toBe(
      '2026-06-01T10:00:00.000Z',
    );
    now = new Date('2026-05-05T12:00:00Z');
    expect(policy.renewedExpiry(prepaid.expiresAt!, 'year', 1)).toEqual({
      expiresAt: new Date('2027-05-05T12:00:00Z'),
      retireAt: new Date('2027-05-05T13:00:00Z'),
    });
  });
});
