// A whole kumod wiring against a real PostgreSQL with every host a FakeHostDriver (through the
// driver registry) and the in-memory network plane: the production services, task runner and
// workers, with only libvirt and OVN replaced. For server tests of policy and task flow.
import { mkdtempSync } from 'node:fs';
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
import { createTestDatabase, dropTestDatabase } from '../../../../test/support/database.js';
import { DriverRegistry } from '../../src/drivers/registry.js';
import { LocalImageStore } from '../../src/drivers/local-image-store.js';
import { createLogger } from '../../src/logger.js';
import { FakeHostDriver } from '../../src/testing/fake-host-driver.js';
import { connectFakeNetworkPlane } from '../../src/testing/fake-network-plane.js';
import { createWiring, type Wiring } from '../../src/wiring.js';

export const REGION = 'cn-north-1';
export const AZ = 'cn-north-1a';

/** One fake cloud: its database, wiring, an account and a public image. */
export class FakeCloud {
  private readonly fakes = new Map<string, FakeHostDriver>();
  url = '';
  db!: Database;
  wiring!: Wiring;
  account!: Account;
  imageId = '';

  /** Starts the wiring (network plane, task runner with two workers, and the other workers when asked). */
  async start(opts: { workers?: boolean } = {}): Promise<this> {
    this.url = await createTestDatabase();
    this.db = openDatabase({ url: this.url });
    await migrateLatest(this.db);
    const config = parseConfig({
      DATABASE_URL: this.url,
      KUMO_LOCAL_HOST: 'none',
      KUMO_REGION: REGION,
      KUMO_LOG_LEVEL: 'silent',
      KUMO_DATA_DIR: mkdtempSync(join(tmpdir(), 'kumo-fake-cloud-')),
      // The fake hosts are named by qemu+tcp URIs (nothing is dialled).
      KUMO_ALLOW_INSECURE_HOSTS: '1',
      // Instances' ports go to the in-memory plane (the fake hosts bind nothing).
      KUMO_NETWORK_DRIVER: 'fake',
      KUMO_OVN_NB: 'memory:',
      KUMO_NETWORK_SYNC_INTERVAL_MS: '100',
    });
    const drivers = new DriverRegistry();
    drivers.imageStore.register('local', (c) => LocalImageStore.open(c.localDir));
    drivers.host.register('libvirt', async (o) => {
      const fake = this.fakes.get(o.uri);
      if (!fake) throw new Error(`no fake host at ${o.uri}`);
      return fake;
    });
    drivers.network.register('fake', connectFakeNetworkPlane);
    this.wiring = createWiring(this.db, this.db, this.url, config, createLogger('silent'), drivers);
    await this.wiring.network.start();
    await this.wiring.runner.start(2);
    if (opts.workers) await this.wiring.workers.start();
    this.account = (await new AccountsModel(this.db).create('fake-cloud', false)).account;
    this.imageId = (await new ImagesModel(this.db).create(TINY_IMAGE)).id;
    return this;
  }

  async stop(): Promise<void> {
    await this.wiring.runner.stop(5_000);
    await this.wiring.workers.stop();
    await this.wiring.network.stop();
    await this.wiring.registry.close();
    await this.db.destroy();
    await dropTestDatabase(this.url);
  }

  scope = () => ({ accountId: this.account.id, regionId: REGION });
  caller = () => ({ account: this.account, accessKey: 'AKTEST', requestId: 'req-test' });

  /** Registers a fake host in the AZ. */
  async addHost(name: string): Promise<{ id: string; fake: FakeHostDriver }> {
    const uri = `qemu+tcp://${name}/system`;
    const fake = new FakeHostDriver(name);
    this.fakes.set(uri, fake);
    const h = await this.wiring.services.hosts.add({
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

  /** Creates one instance and returns its id (it is `pending` until its spawn ends). */
  async create(name: string, instanceType = 't.n1.micro'): Promise<string> {
    const r = await this.wiring.services.instances.create(this.scope(), this.caller(), {
      name,
      az: AZ,
      instanceType,
      imageId: this.imageId,
      keyNames: [],
      description: '',
      diskCategory: 'local',
      maxCount: 1,
    });
    return r.instanceIds[0]!;
  }

  /** Polls an instance (undefined once gone) until `done` holds, for up to 20 s. */
  async until(
    id: string,
    done: (i: InstanceRecord | undefined) => boolean,
  ): Promise<InstanceRecord | undefined> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const inst = await this.wiring.services.instances.get(this.scope(), id).catch(() => undefined);
      if (done(inst)) return inst;
      if (Date.now() > deadline) throw new Error(`instance ${id} did not settle: ${JSON.stringify(inst)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const MANIFEST: ImageManifest = {
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

const TINY_IMAGE = {
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
  manifest: MANIFEST,
  constraint: null,
} as const;
