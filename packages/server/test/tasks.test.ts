// The server's task machinery against a real PostgreSQL, with hosts replaced by FakeHostDrivers
// through the driver registry: createInstances → spawn (and its move off a failing host), the
// lifecycle tasks through pg-boss and leases, and a delete of a pending instance that wins over
// its spawn. Everything but libvirt is the production code, wired by the composition root.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { FakeHostDriver } from '../src/testing/fake-host-driver.js';
import type { Wiring } from '../src/wiring.js';
import { FakeCloud } from './support/fake-cloud.js';

const cloud = new FakeCloud();
let wiring: Wiring;
const scope = () => cloud.scope();
const caller = () => cloud.caller();
const addHost = (name: string) => cloud.addHost(name);
const create = (name: string) => cloud.create(name);
const until = (...a: Parameters<FakeCloud['until']>) => cloud.until(...a);

beforeAll(async () => {
  wiring = (await cloud.start()).wiring;
}, 60_000);

afterAll(() => cloud.stop());

let hostA: { id: string; fake: FakeHostDriver };
let hostB: { id: string; fake: FakeHostDriver };

test('a spawn that fails on one host runs on the other; the failed host keeps nothing', async () => {
  hostA = await addHost('host-a');
  hostB = await addHost('host-b');
  hostA.fake.failNext('spawn', undefined, Infinity);
  const id = await create('moves');
  const inst = await until(id, (i) => i?.status !== 'pending');
  expect(inst).toMatchObject({
    status: 'running',
    hostId: hostB.id,
    powerState: 'running',
    task: null,
    taskStep: null,
  });
  expect(hostB.fake.instances.get(id)).toBe('running');
  expect(hostA.fake.instances.has(id)).toBe(false);
  const used = async (h: { id: string }) => (await wiring.services.hosts.get(h.id)).vcpus.used;
  expect([await used(hostA), await used(hostB)]).toEqual([0, 1]);
  expect(await wiring.hostsModel.claimDrift()).toEqual([]);
  hostA.fake.failNext('spawn', undefined, 0);
});

test('when every host fails the spawn, it ends in error holding no host and no capacity', async () => {
  hostA.fake.failNext('spawn', undefined, Infinity);
  hostB.fake.failNext('spawn', undefined, Infinity);
  const id = await create('doomed');
  const inst = await until(id, (i) => i?.status !== 'pending');
  expect(inst).toMatchObject({ status: 'error', hostId: null, powerState: 'absent', task: null });
  expect(inst!.errorReason).toMatch(/^spawn failed: spawn failed/);
  const events = await wiring.services.instances.events(id);
  expect(events.map((e) => [e.action, e.outcome])).toEqual([['spawn', 'failed']]);
  expect(await wiring.hostsModel.claimDrift()).toEqual([]);
  hostA.fake.failNext('spawn', undefined, 0);
  hostB.fake.failNext('spawn', undefined, 0);
  // An instance in error may still be deleted, and goes.
  await wiring.services.instances.act(scope(), caller(), id, 'delete');
  expect(await until(id, (i) => i === undefined)).toBeUndefined();
});

test('stop, start and delete go through the lifecycle table to their done statuses', async () => {
  const id = await create('cycle');
  const running = await until(id, (i) => i?.status === 'running');
  const host = running!.hostId === hostA.id ? hostA : hostB;
  await wiring.services.instances.act(scope(), caller(), id, 'stop');
  await expect(wiring.services.instances.act(scope(), caller(), id, 'stop')).rejects.toThrow(
    /Conflict with underlay task stop|Invalid instance status 'stopped'/,
  );
  expect(await until(id, (i) => i?.status === 'stopped')).toMatchObject({
    powerState: 'stopped',
    task: null,
  });
  expect(host.fake.instances.get(id)).toBe('stopped');
  await expect(wiring.services.instances.act(scope(), caller(), id, 'stop')).rejects.toThrow(
    "Invalid instance status 'stopped'",
  );
  await wiring.services.instances.act(scope(), caller(), id, 'start');
  expect(await until(id, (i) => i?.status === 'running')).toMatchObject({ powerState: 'running' });
  await wiring.services.instances.act(scope(), caller(), id, 'delete');
  expect(await until(id, (i) => i === undefined)).toBeUndefined();
  expect(host.fake.instances.has(id)).toBe(false);
  const events = await wiring.services.instances.events(id);
  expect(events.map((e) => [e.action, e.outcome])).toEqual([
    ['spawn', 'succeeded'],
    ['stop', 'succeeded'],
    ['start', 'succeeded'],
    ['delete', 'succeeded'],
  ]);
  expect(await wiring.hostsModel.claimDrift()).toEqual([]);
});

test('deleting a pending instance wins over its spawn in flight', async () => {
  // Hold every spawn on both hosts until the delete has been accepted.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  for (const h of [hostA, hostB]) {
    const real = h.fake.spawn.bind(h.fake);
    h.fake.spawn = async (spec) => {
      await gate;
      await real(spec);
    };
  }
  const id = await create('short-lived');
  await until(id, (i) => i?.taskStep === 'domain');
  await wiring.services.instances.act(scope(), caller(), id, 'delete');
  expect((await wiring.services.instances.get(scope(), id).catch(() => undefined))?.status ?? 'gone').toMatch(
    /deleting|gone/,
  );
  release();
  expect(await until(id, (i) => i === undefined)).toBeUndefined();
  // The spawn, fenced out, removes whatever it created after the delete looked.
  const deadline = Date.now() + 10_000;
  while ((hostA.fake.instances.has(id) || hostB.fake.instances.has(id)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(hostA.fake.instances.has(id) || hostB.fake.instances.has(id)).toBe(false);
  const events = await wiring.services.instances.events(id);
  expect(events.map((e) => [e.action, e.outcome])).toEqual([
    ['spawn', 'failed'],
    ['delete', 'succeeded'],
  ]);
  expect(events[0]!.detail).toBe('superseded by delete');
  const used = async (h: { id: string }) => (await wiring.services.hosts.get(h.id)).vcpus.used;
  // Only the running instance of the first test still holds capacity.
  expect((await used(hostA)) + (await used(hostB))).toBe(1);
  expect(await wiring.hostsModel.claimDrift()).toEqual([]);
});
