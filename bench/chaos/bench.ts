// The chaos soak (see run.sh): two kumods on one database, three test hosts (each its own network
// and mount namespace with its own libvirtd), three accounts issuing random lifecycle operations;
// with cloud disks on the environment's Ceph when it runs one; every 20–60 s one kumod is SIGKILLed and restarted and one host is cut off or its libvirtd
// paused for a few seconds. Checks invariants at checkpoints and at the end, prints the counts,
// and exits 1 on any violation. Bounded in time; traffic stays inside the test namespaces.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import setupPostgres from '../../test/support/global-postgres.js';
import { createTestDatabase, dropTestDatabase } from '../../test/support/database.js';
import { pidsInNetns, startTestHost, stopAllTestHosts, type TestHost } from '../../test/support/hosts.js';
import type { KumoClient } from '@kumo/client';
import { clientFor, startKumod, type KumodProcess } from '../../test/support/kumod.js';
import { loadImage } from '../../test/support/images.js';
import { addRbdBackend } from '../../test/support/storage.js';
import { cephPool, haveCeph, rbd } from '../../packages/storage/test/support.js';
import { check, unsettled } from './invariants.js';
import { runActor, type Actor, type Tally } from './workload.js';

const DURATION_S = Number(process.env.DURATION ?? 360);
const SETTLE_S = 240;
const PREFIX = 'kumo-chaos-';
const tinyDir = process.argv[2] ?? '';
if (!tinyDir) throw new Error('usage: bench.ts TINY_IMAGE_DIR');
// The default subnet of an AZ as the account sees it (the first one describeSubnets lists there).
async function subnetOf(client: KumoClient, az: string): Promise<string> {
  const r = await client.request<{ subnets: { subnetId: string; az: string }[] }>(
    'GET',
    `/v1/regions/${client.regionId}/subnets`,
  );
  const s = r.subnets.find((x) => x.az === az);
  if (!s) throw new Error(`no subnet in ${az}`);
  return s.subnetId;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

await setupPostgres();
const dbUrl = await createTestDatabase('kumo_chaos');
const hosts: TestHost[] = [];
const kumods: KumodProcess[] = [];
const counts = { kumodKills: 0, hostCutOffs: 0, hostPauses: 0, checkpoints: 0 };
const violations: string[] = [];
let dropPool = () => {};
const tally: Tally = {
  operations: 0,
  accepted: 0,
  refused4xx: 0,
  refusedBy: {},
  serverErrors: [],
  unreachable: 0,
};

const env: Record<string, string> = {
  DATABASE_URL: dbUrl,
  KUMO_LOCAL_HOST: 'none',
  KUMO_LIBVIRT_PREFIX: PREFIX,
  KUMO_SUBNET_BLOCK: '10.238',
  KUMO_ALLOW_INSECURE_HOSTS: '1',
  KUMO_HOST_KEY_DIR: '/tmp/kumo-test-hosts',
  KUMO_IMAGE_IMPORT_DIRS: dirname(tinyDir),
  KUMO_RECONCILE_INTERVAL_SECONDS: '2',
  KUMO_TASK_STALE_SECONDS: '10',
  KUMO_TASK_DEADLINE_SECONDS: '120',
  KUMO_STOP_TIMEOUT_SECONDS: '15',
  KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
  KUMO_RATE_LIMIT_PER_MINUTE: '100000',
};

try {
  for (const n of [1, 2, 3]) hosts.push(await startTestHost(`chaos${n}`));
  kumods.push(await startKumod(env));
  const creds = kumods[0]!.credentials;
  kumods.push(await startKumod(env, { adminCredentials: creds }));
  const admin = () => kumods[0]!.admin();
  const hostIds: string[] = [];
  for (const h of hosts) {
    const r = await admin().adminRequest<{ host: { hostId: string } }>('POST', '/hosts', {
      body: {
        name: h.name,
        uri: h.uri,
        regionId: 'local-1',
        az: 'local-1a',
        poolPath: h.poolPath,
        accelerator: 'qemu',
      },
    });
    hostIds.push(r.host.hostId);
  }
  // Cloud disks on the environment's Ceph, when it runs one (scripts/libvirtd-up.sh).
  const pool = haveCeph() ? cephPool(`kchaos-${process.pid}`) : undefined;
  if (pool) await addRbdBackend(admin(), 'local-1a', pool);
  dropPool = () => pool?.drop();
  const image = loadImage(tinyDir);
  const imported = await admin().adminRequest<{ image: { imageId: string } }>('POST', '/images:import', {
    body: { manifestPath: join(image.dir, 'manifest.json'), regionId: 'local-1', name: 'tiny' },
  });
  const accounts: { name: string; keys: { accessKey: string; secretKey: string } }[] = [];
  for (const name of ['chaos-a', 'chaos-b', 'chaos-c']) {
    const keys = await admin().adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
      body: { name },
    });
    accounts.push({ name, keys });
  }
  const clientsOf = (keys: { accessKey: string; secretKey: string }) => () =>
    kumods.map((k) => clientFor(k.endpoint, keys));
  const actors: Actor[] = [];
  for (const a of accounts) {
    const subnetId = await subnetOf(clientsOf(a.keys)()[0]!, 'local-1a');
    actors.push({
      name: a.name,
      clients: clientsOf(a.keys),
      maxInstances: 2,
      ...(pool ? { diskAz: 'local-1a', maxDisks: 2 } : {}),
      create: (name) => ({
        instanceSpec: {
          name,
          az: 'local-1a',
          instanceType: 't.n1.nano',
          imageId: imported.image.imageId,
          primaryNetworkInterface: { networkInterface: { subnetId } },
          systemDisk: { diskCategory: 'local' },
        },
      }),
    });
  }

  const until = Date.now() + DURATION_S * 1000;
  const workload = Promise.all(actors.map((a) => runActor(a, until, tally, ['t.n1.nano', 't.n1.micro'])));
  const chaos = (async () => {
    while (Date.now() < until - 20_000) {
      await sleep(between(20_000, 60_000));
      const i = Math.floor(Math.random() * kumods.length);
      kumods[i]!.child.kill('SIGKILL');
      await new Promise((r) =>
        kumods[i]!.child.exitCode !== null ? r(null) : kumods[i]!.child.once('exit', r),
      );
      kumods[i] = await startKumod(env, { adminCredentials: creds });
      counts.kumodKills++;
      const h = hosts[Math.floor(Math.random() * hosts.length)]!;
      const outage = between(5_000, 15_000);
      if (Math.random() < 0.5) {
        await h.cutOff();
        await sleep(outage);
        await h.reconnect();
        counts.hostCutOffs++;
      } else {
        const pids = pidsInNetns(h.netnsId).filter(
          (p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'libvirtd',
        );
        for (const p of pids) process.kill(p, 'SIGSTOP');
        await sleep(outage);
        for (const p of pids) process.kill(p, 'SIGCONT');
        counts.hostPauses++;
      }
    }
  })();
  const targets = hosts.map((host, i) => ({ host, id: hostIds[i]!, prefix: PREFIX }));
  const named = () => accounts.map((a) => ({ name: a.name, client: clientsOf(a.keys)()[0]! }));
  const poolImages = pool ? () => rbd('ls', pool.pool).trim().split('\n').filter(Boolean) : undefined;
  const checkpoints = (async () => {
    while (Date.now() < until) {
      await sleep(60_000);
      violations.push(...(await check(dbUrl, targets, named(), false)));
      counts.checkpoints++;
    }
  })();
  await Promise.all([workload, chaos, checkpoints]);

  // Every instance must settle within the task deadline once the chaos stops.
  const settleBy = Date.now() + SETTLE_S * 1000;
  while (Date.now() < settleBy && (await unsettled(dbUrl)).length > 0) await sleep(2_000);
  // One more sweep interval for the reconciler to remove leftovers of deletes that just finished.
  await sleep(10_000);
  violations.push(...(await check(dbUrl, targets, named(), true, poolImages)));
  counts.checkpoints++;
  violations.push(...tally.serverErrors.map((e) => `5xx: ${e}`));

  const n = (await unsettled(dbUrl)).length;
  console.log(
    JSON.stringify(
      {
        durationSeconds: DURATION_S,
        ...counts,
        operations: tally.operations,
        accepted: tally.accepted,
        refused4xx: tally.refused4xx,
        refusedBy: tally.refusedBy,
        unreachableKumod: tally.unreachable,
        serverErrors: tally.serverErrors.length,
        unsettledAtEnd: n,
        violations: violations.length,
      },
      null,
      2,
    ),
  );
  for (const v of violations.slice(0, 50)) console.log(`violation: ${v}`);
  process.exitCode = violations.length > 0 ? 1 : 0;
} finally {
  for (const k of kumods) await k.stop().catch(() => undefined);
  await stopAllTestHosts();
  dropPool();
  await dropTestDatabase(dbUrl).catch(() => undefined);
  await globalThis.__KUMO_TEST_PG__?.stop();
}
// The test support's exit hooks end the process with 0 otherwise: the outcome is said last.
process.exit(violations.length > 0 ? 1 : 0);
