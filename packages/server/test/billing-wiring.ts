// What the billing tests share: a kumod's wiring on a fresh database of the run's PostgreSQL, one
// FakeHostDriver host through the driver registry, a public image, an account, and a clock the
// test sets (the pool's `clock`, as kumod's KUMO_TEST_CLOCK_FILE; the charge policy reads it too).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import type { ChargeRequest } from '../src/billing/charges.js';
import { DriverRegistry } from '../src/drivers/registry.js';
import { LocalImageStore } from '../src/drivers/local-image-store.js';
import { createLogger } from '../src/logger.js';
import { FakeHostDriver } from '../src/testing/fake-host-driver.js';
import { connectFakeNetworkPlane } from '../src/testing/fake-network-plane.js';
import { createWiring, type Wiring } from '../src/wiring.js';

export const REGION = 'cn-north-1';
const AZ = 'cn-north-1a';

/** One billing test's world. */
export interface BillingWorld {
  url: string;
  db: Database;
  wiring: Wiring;
  account: Account;
  /** Sets the clock to `seconds` after `t0`. */
  at(seconds: number): void;
  /** Creates one t.n1.micro instance and returns its id. */
  create(name: string, charge?: ChargeRequest): Promise<string>;
  /** Polls the instance (undefined once gone) until `done`. */
  until(id: string, done: (i: InstanceRecord | undefined) => boolean): Promise<InstanceRecord | undefined>;
  scope: () => { accountId: string; regionId: string };
  caller: () => { account: Account; accessKey: string; requestId: string };
  close(): Promise<void>;
}

/** Builds the world; `prices` is the price list's YAML, `env` more kumod variables. */
export async function billingWorld(
  t0: number,
  prices: string,
  env: Record<string, string> = {},
): Promise<BillingWorld> {
  let clockMs = t0;
  const url = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'kbill-'));
  writeFileSync(join(dir, 'prices.yaml'), prices);
  const clockFile = join(dir, 'clock');
  const setClock = (ms: number) => {
    clockMs = ms;
    writeFileSync(clockFile, new Date(ms).toISOString());
  };
  setClock(t0);
  const db = openDatabase({ url, clock: () => new Date(clockMs) });
  await migrateLatest(db);
  const config = parseConfig({
    DATABASE_URL: url,
    KUMO_LOCAL_HOST: 'none',
    KUMO_REGION: REGION,
    KUMO_LOG_LEVEL: 'silent',
    KUMO_DATA_DIR: dir,
    KUMO_PRICES: join(dir, 'prices.yaml'),
    KUMO_TEST_CLOCK_FILE: clockFile,
    KUMO_ALLOW_INSECURE_HOSTS: '1',
    KUMO_NETWORK_DRIVER: 'fake',
    KUMO_OVN_NB: 'memory:',
    KUMO_NETWORK_SYNC_INTERVAL_MS: '100',
    ...env,
  });
  const fake = new FakeHostDriver('billing-host');
  const drivers = new DriverRegistry();
  drivers.imageStore.register('local', (c) => LocalImageStore.open(c.localDir));
  drivers.host.register('libvirt', async () => fake);
  drivers.network.register('fake', connectFakeNetworkPlane);
  const wiring = createWiring(db, db, url, config, createLogger('silent'), drivers);
  await wiring.network.start();
  await wiring.runner.start(2);
  const account = (await new AccountsModel(db).create('billing', false)).account;
  await wiring.services.hosts.add({
    name: 'billing-host',
    uri: 'qemu+tcp://billing-host/system',
    regionId: REGION,
    az: AZ,
    poolPath: '/pool',
    accelerator: 'kvm',
    cpuRatio: 1,
    memoryRatio: 1,
    diskRatio: 1,
  });
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
    files: { root: { path: 'root.qcow2', bytes: 1, sha256: '0'.repeat(64) } },
  };
  const imageId = (
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
  const scope = () => ({ accountId: account.id, regionId: REGION });
  const caller = () => ({ account, accessKey: 'AKTEST', requestId: 'req-billing' });
  return {
    url,
    db,
    wiring,
    account,
    scope,
    caller,
    at: (s) => setClock(t0 + s * 1000),
    create: async (name, charge) =>
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
          ...(charge ? { charge } : {}),
        })
      ).instanceIds[0]!,
    until: async (id, done) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const inst = await wiring.services.instances.get(scope(), id).catch(() => undefined);
        if (done(inst)) return inst;
        if (Date.now() > deadline) throw new Error(`instance ${id} did not settle: ${JSON.stringify(inst)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      await wiring.runner.stop(5_000);
      await wiring.network.stop();
      await wiring.registry.close();
      await db.destroy();
      await dropTestDatabase(url);
    },
  };
}
