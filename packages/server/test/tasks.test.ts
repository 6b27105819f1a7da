// The server's task machinery against a real PostgreSQL, with hosts replaced by FakeHostDrivers
// through the driver registry: createInstances → spawn (and its move off a failing host), the
// lifecycle tasks through pg-boss and leases, and a delete of a pending instance that wins over
// its spawn. Everything but libvirt is the production code, wired by the composition root.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { ImageManifest } from '@kumo/hypervisor';
import { parseConfig } from '@kumo/server';
import {
  AccountsModel,
  ImagesModel,
  migrateLatest,
  openDatabase,
  type Account,
  type Database,
  type InstanceRecord,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';
import { DriverRegistry } from '../src/drivers/registry.js';
import { LocalImageStore } from '../src/drivers/local-image-store.js';
import { createLogger } from '../src/logger.js';
import { FakeHostDriver } from '../src/testing/fake-host-driver.js';
import { connectFakeNetworkPlane } from '../src/testing/fake-network-plane.js';
import { createWiring, type Wiring } from '../src/wiring.js';

const REGION = 'cn-north-1';
// Each test waits up to 20 s for an instance to settle (a loaded CI machine); jest's 5 s is too short.
const TEST_TIMEOUT_MS = 30_000;
const AZ = 'cn-north-1a';
const fakes = new Map<string, FakeHostDriver>();
let url: string;
let db: Database;
let wiring: Wiring;
let account: Account;
let imageId: string;

const scope = () => ({ accountId: account.id, regionId: REGION });
const caller = () => ({ account, accessKey: 'AKTEST', requestId: 'req-test' });

async function addHost(name: string): Promise<{ id: string; fake: FakeHostDriver }> {
  const uri = `qemu+tcp://${name}/system`;
  const fake = new FakeHostDriver(name);
  fakes.set(uri, fake);
  const h = await wiring.services.hosts.add({
    name,
    uri,
    regionId: REGION,
    az: AZ,
    poolPath: '/pool',
    accelerator: 'kvm',
    cpuRatio: 1,
    memoryRatio: 1,
    diskRatio: 1,
  });
  return { id: h.id, fake };
}

async function until(
  id: string,
  done: (i: InstanceRecord | undefined) => boolean,
): Promise<InstanceRecord | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const inst = await wiring.services.instances.get(scope(), id).catch(() => undefined);
    if (done(inst)) return inst;
    if (Date.now() > deadline) throw new Error(`instance ${id} did not settle: ${JSON.stringify(inst)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const create = async (name: string) =>
  (
    await wiring.services.instances.create(scope(), caller(), {
      name,
      az: AZ,
      instanceType: 't.n1.micro',
      imageId,
      keyNames: [],
      description: '',
      diskCategory: 'local',
      maxCount: 1,
    })
  ).instanceIds[0]!;

beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url });
  await migrateLatest(db);
  const config = parseConfig({
    DATABASE_URL: url,
    KUMO_LOCAL_HOST: 'none',
    KUMO_REGION: REGION,
    KUMO_LOG_LEVEL: 'silent',
    KUMO_DATA_DIR: mkdtempSync(join(tmpdir(), 'kumo-tasks-')),
    // The fake hosts are named by qemu+tcp URIs (nothing is dialled).
    KUMO_ALLOW_INSECURE_HOSTS: '1',
    // Instances' ports go to the in-memory plane (the fake hosts bind nothing).
    KUMO_NETWORK_DRIVER: 'fake',
    KUMO_OVN_NB: 'memory:',
    KUMO_NETWORK_SYNC_INTERVAL_MS: '100',
  });
  const drivers = new DriverRegistry();
  drivers.imageStore.register('local', (c) => LocalImageStore.open(c.localDir));
  drivers.host.register('libvirt', async (opts) => {
    const fake = fakes.get(opts.uri);
    if (!fake) throw new Error(`no fake host at ${opts.uri}`);
    return fake;
  });
  drivers.network.register('fake', connectFakeNetworkPlane);
  wiring = createWiring(db, db, url, config, createLogger('silent'), drivers);
  await wiring.network.start();
  await wiring.runner.start(2);
  account = (await new AccountsModel(db).create('tasks', false)).account;
  const manifest: ImageManifest = {
    name: 'tiny',
    os: 'busybox',
    version: '1',
    arch: 'x86_64',
    rootDevice: 'virtio-blk',
    minDiskBytes: 2 ** 20,
    boot: { mode: 'firmware' },
    defaultUser: 'root',
    sshPasswordAuth: false,
    files: {
      root: { path: 'root.qcow2', bytes: 1, sha256: '0'.repeat(64) },
    },
  };
  imageId = (
    await new ImagesModel(db).create({
      regionId: REGION,
      ownerAccountId: null,
      name: 'tiny',
      description: '',
      imageSource: 'public',
      platform: 'Linux',
      osType: 'linux',
      osVersion: '1',
      architecture: 'x86_64',
      minDiskGB: 1,
      sizeBytes: 1,
      filesDir: '/images/tiny',
      manifest,
      constraint: null,
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await wiring.runner.stop(5_000);
  await wiring.network.stop();
  await wiring.registry.close();
  await db.destroy();
  await dropTestDatabase(url);
});

let hostA: { id: string; fake: FakeHostDriver };
let hostB: { id: string; fake: FakeHostDriver };

test(
  'a spawn that fails on one host runs on the other; the failed host keeps nothing',
  async () => {
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
  },
  TEST_TIMEOUT_MS,
);

test(
  'when every host fails the spawn, it ends in error holding no host and no capacity',
  async () => {
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
  },
  TEST_TIMEOUT_MS,
);

test(
  'stop, start and delete go through the lifecycle table to their done statuses',
  async () => {
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
  },
  TEST_TIMEOUT_MS,
);

test(
  'deleting a pending instance wins over its spawn in flight',
  async () => {
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
    expect(
      (await wiring.services.instances.get(scope(), id).catch(() => undefined))?.status ?? 'gone',
    ).toMatch(/deleting|gone/);
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
  },
  TEST_TIMEOUT_MS,
);
