// Prepaid (monthly package) instances with the clock injected: deleteInstance is refused before
// expiry; at expiry the charge timer stops the instance, one grace period later retires it and one
// more later deletes it; renewal moves the expiry (from the old one while it lies ahead, from now
// once passed) and lets an expired instance start again. The timer's sweeps are called directly so
// each deadline is crossed exactly when the test moves the clock.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { ApiError } from '@kumo/contract';
import { billingWorld, type BillingWorld } from './billing-wiring.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const GRACE = 3600;
const EXPIRY = Date.parse('2026-04-01T10:00:00Z');
const sinceT0 = (ms: number) => (ms - T0) / 1000;

let w: BillingWorld;
beforeAll(async () => {
  w = await billingWorld(T0, 'currency: CNY\n', { KUMO_PREPAID_GRACE_SECONDS: String(GRACE) });
}, 60_000);
afterAll(async () => {
  await w.close();
});

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err.toBody();
};

test('a prepaid instance: refused delete, stopped at expiry, renewed, retired and deleted', async () => {
  const { wiring, at, until, scope, caller } = w;
  const svc = wiring.services.instances;
  const id = await w.create('monthly', { mode: 'prepaid_by_duration', unit: 'month', duration: 1 });
  const created = await until(id, (i) => i?.status === 'running' && i.task === null);
  expect(created!.charge).toEqual({
    mode: 'prepaid_by_duration',
    startAt: new Date(T0),
    expiresAt: new Date(EXPIRY),
    retireAt: new Date(EXPIRY + GRACE * 1000),
    phase: 'active',
  });

  expect(await refusal(svc.act(scope(), caller(), id, 'delete'))).toEqual({
    code: 400,
    status: 'FAILED_PRECONDITION',
    message: `Instance ${id} is prepaid_by_duration and has not expired, it cannot be deleted`,
  });
  at(10 * 86_400);
  expect(await wiring.chargeTimer.sweep()).toBe(0);
  expect((await svc.get(scope(), id)).status).toBe('running');

  // Expiry: stopped, shown as expired, and it may not start until renewed.
  at(sinceT0(EXPIRY));
  expect(await wiring.chargeTimer.sweep()).toBe(1);
  const expired = await until(id, (i) => i?.status === 'stopped' && i.task === null);
  expect(expired!.charge.phase).toBe('expired');
  expect(wiring.services.chargePolicy.status(expired!.charge)).toBe('expired');
  expect((await refusal(svc.act(scope(), caller(), id, 'start'))).message).toBe(
    `Instance ${id} is prepaid_by_duration and has expired: renew it first`,
  );

  // Renewed ten minutes after expiry: a month from now, and it starts again.
  at(sinceT0(EXPIRY) + 600);
  const renewed = await wiring.services.instanceCharges.renew(id, 'month', 1, 'admin');
  expect(renewed.charge).toMatchObject({
    phase: 'active',
    expiresAt: new Date('2026-05-01T10:10:00Z'),
    retireAt: new Date(Date.parse('2026-05-01T10:10:00Z') + GRACE * 1000),
  });
  await svc.act(scope(), caller(), id, 'start');
  await until(id, (i) => i?.status === 'running' && i.task === null);
  // Renewed again before expiry: the period adds to the expiry, not to now.
  const again = await wiring.services.instanceCharges.renew(id, 'month', 2, 'admin');
  expect(again.charge.expiresAt).toEqual(new Date('2026-07-01T10:10:00Z'));
  expect(await refusal(wiring.services.instanceCharges.renew(id, 'month', 10, 'admin'))).toMatchObject({
    status: 'OUT_OF_RANGE',
  });

  const expiry2 = Date.parse('2026-07-01T10:10:00Z');
  at(sinceT0(expiry2));
  expect(await wiring.chargeTimer.sweep()).toBe(1);
  await until(id, (i) => i?.status === 'stopped' && i.task === null);
  // Retired after the grace period: still there, and still refusing a start.
  at(sinceT0(expiry2) + GRACE);
  await wiring.chargeTimer.sweep();
  const retired = await svc.get(scope(), id);
  expect([retired.status, retired.charge.phase]).toEqual(['stopped', 'retired']);
  expect(wiring.services.chargePolicy.status(retired.charge)).toBe('retired');
  // Deleted one more grace period later.
  at(sinceT0(expiry2) + 2 * GRACE - 1);
  await wiring.chargeTimer.sweep();
  expect((await svc.get(scope(), id)).status).toBe('stopped');
  at(sinceT0(expiry2) + 2 * GRACE);
  expect(await wiring.chargeTimer.sweep()).toBe(1);
  expect(await until(id, (i) => i === undefined)).toBeUndefined();
  // The action log says who did what: the timer stopped and deleted it, the owner started it.
  expect((await svc.events(id)).map((e) => [e.action, e.outcome, e.requestedBy])).toEqual([
    ['spawn', 'succeeded', 'AKTEST'],
    ['stop', 'succeeded', 'kumo:charge-timer'],
    ['start', 'succeeded', 'AKTEST'],
    ['stop', 'succeeded', 'kumo:charge-timer'],
    ['delete', 'succeeded', 'kumo:charge-timer'],
  ]);
}, 90_000);

test('a postpaid instance has no timer and deletes at once', async () => {
  const { wiring, until, scope, caller } = w;
  const id = await w.create('hourly', { mode: 'postpaid_by_usage' });
  const inst = await until(id, (i) => i?.status === 'running' && i.task === null);
  expect(inst!.charge).toMatchObject({ mode: 'postpaid_by_usage', expiresAt: null, phase: 'active' });
  expect(await refusal(wiring.services.instanceCharges.renew(id, 'month', 1, 'admin'))).toMatchObject({
    message: `Instance ${id} is not prepaid_by_duration: nothing to renew`,
  });
  await wiring.services.instances.act(scope(), caller(), id, 'delete');
  expect(await until(id, (i) => i === undefined)).toBeUndefined();
}, 60_000);
