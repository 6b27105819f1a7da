// Metering and metrics end to end: a real kumod (the test entry, whose qemu+tcp://fake-… hosts are
// in-memory FakeHostDrivers) with its clock injected through KUMO_TEST_CLOCK_FILE. An instance
// created, stopped, started and deleted through JD's API shows in the ledger to the second — to the
// admin (`kumo usage records`, CSV) and to its owner through the owner's credentials
// (describeUsage) — and a real Prometheus scraping the ops listener then holds the request and
// task series of that lifecycle.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KumoClient } from '@kumo/client';
import { kumoIn, ok } from '../support/cli.js';
import { codeOf, cvmClient } from '../support/cvm-sdk.js';
import { clientFor, KUMOD_TEST_MAIN, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';
import { planeEnv } from '../support/network.js';
import { freePort } from '../support/ports.js';

const work = mkdtempSync(join(tmpdir(), 'kbill-api-'));
const home = mkdtempSync(join(work, 'home-'));
const clockFile = join(work, 'clock');
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s: number) => writeFileSync(clockFile, new Date(T0 + s * 1000).toISOString());
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');
const REGION = 'local-1';

let kumod: TestKumod;
let ops: string;
let user: KumoClient;
let userKeys: { accessKey: string; secretKey: string };
let instanceId: string;
const kumo = kumoIn(home);

function fakeImage(): string {
  const dir = join(work, 'image');
  mkdirSync(dir);
  const root = Buffer.from('not really qcow2\n');
  writeFileSync(join(dir, 'root.qcow2'), root);
  const manifest = {
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
      root: {
        path: 'root.qcow2',
        bytes: root.length,
        sha256: createHash('sha256').update(root).digest('hex'),
      },
    },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return join(dir, 'manifest.json');
}

async function statusOf(id: string): Promise<string | undefined> {
  try {
    return (await user.describeInstance(id)).instance.status;
  } catch {
    return undefined;
  }
}

async function until(id: string, want: string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: string | undefined;
  while (Date.now() < deadline) {
    last = await statusOf(id);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance ${id} is ${last}, not ${want}`);
}

beforeAll(async () => {
  at(0);
  const port = await freePort();
  ops = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(work, 'kumod-'));
  kumod = await startKumodOnTestDatabase(
    {
      ...planeEnv(dataDir),
      KUMO_OPS_LISTEN: `127.0.0.1:${port}`,
      KUMO_TEST_CLOCK_FILE: clockFile,
      KUMO_ALLOW_INSECURE_HOSTS: '1',
      KUMO_IMAGE_IMPORT_DIRS: work,
      // The prepaid test crosses an expiry by hand; the charge timer must not act meanwhile.
      KUMO_CHARGE_SWEEP_INTERVAL_MS: '3600000',
    },
    { main: KUMOD_TEST_MAIN, dataDir },
  );
  const admin = kumod.admin();
  await admin.adminRequest('POST', '/hosts', {
    body: {
      name: 'fake-a',
      uri: 'qemu+tcp://fake-a/system',
      regionId: REGION,
      az: `${REGION}a`,
      poolPath: '/pool',
      accelerator: 'kvm',
    },
  });
  const image = await admin.adminRequest<{ image: { imageId: string } }>('POST', '/images:import', {
    body: { manifestPath: fakeImage(), regionId: REGION },
  });
  userKeys = await admin.adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', {
    body: { name: 'metered' },
  });
  user = clientFor(kumod.endpoint, userKeys);
  const created = await user.createInstances({
    instanceSpec: {
      az: `${REGION}a`,
      instanceType: 't.n1.micro',
      imageId: image.image.imageId,
      name: 'metered',
    },
  });
  instanceId = created.instanceIds[0]!;
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

test('a lifecycle through the API leaves the ledger to the second, for the admin and the owner', async () => {
  await until(instanceId, 'running');
  at(100);
  await user.stopInstance(instanceId);
  await until(instanceId, 'stopped');
  at(160);
  await user.startInstance(instanceId);
  await until(instanceId, 'running');
  at(400);
  await user.deleteInstance(instanceId);
  await until(instanceId, undefined);

  const admin = {
    KUMO_ACCESS_KEY: kumod.credentials.accessKey,
    KUMO_SECRET_KEY: kumod.credentials.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
  const csv = ok(
    kumo(admin, 'usage', 'records', '--resource', instanceId, '--from', iso(-60), '--to', iso(3600), '--csv'),
  );
  expect(
    csv
      .split('\r\n')
      .filter(Boolean)
      .map((l) => l.split(',').slice(3)),
  ).toEqual([
    ['Item', 'Quantity', 'Start', 'End'],
    ['instance:t.n1.micro:running', '1', iso(0), iso(100)],
    ['instance:t.n1.micro:stopped', '1', iso(100), iso(160)],
    ['instance:t.n1.micro:running', '1', iso(160), iso(400)],
    // The delete's claim bills it as stopped until the row goes, at the same second here.
    ['instance:t.n1.micro:stopped', '1', iso(400), iso(400)],
  ]);

  // The owner's own view, with the owner's credentials: 340 s running, 60 s stopped, priced from
  // the shipped list (t.n1.micro: 0.04 an hour running, 0.004 stopped).
  at(3600);
  const own = ok(
    kumo(
      {
        KUMO_ACCESS_KEY: userKeys.accessKey,
        KUMO_SECRET_KEY: userKeys.secretKey,
        KUMO_ENDPOINT: kumod.endpoint,
      },
      '-o',
      'json',
      'usage',
      '--from',
      iso(0),
    ),
  );
  const report = JSON.parse(own) as {
    currency: string;
    lines: { item: string; seconds: number; amount: number; accountId?: string }[];
    totalAmount: number;
  };
  expect(report.currency).toBe('CNY');
  expect(report.lines.map((l) => [l.item, l.seconds])).toEqual([
    ['instance:t.n1.micro:running', 340],
    ['instance:t.n1.micro:stopped', 60],
  ]);
  expect(report.lines[0]!.accountId).toBeUndefined();
  expect(report.totalAmount).toBeCloseTo((340 * 0.04 + 60 * 0.004) / 3600, 6);

  // Bad input: JD's envelope, nothing else.
  const bad = kumo(admin, 'usage', '--all', '--from', 'yesterday');
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/Invalid parameter startTime: must be an ISO 8601 time/);
  // Another account's ledger is the admin's only.
  await expect(user.adminRequest('GET', '/usage')).rejects.toMatchObject({ httpStatus: 403 });
}, 90_000);

test('a real Prometheus scraping the ops listener holds the lifecycle’s request and task series', async () => {
  const promPort = await freePort();
  const dir = mkdtempSync(join(work, 'prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: kumod',
      `    static_configs: [{ targets: ['${new URL(ops).host}'] }]`,
    ].join('\n'),
  );
  const prom: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: 'ignore' },
  );
  try {
    const query = async (q: string) => {
      const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await r.json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data.result;
    };
    const deadline = Date.now() + 60_000;
    let tasks: Awaited<ReturnType<typeof query>> = [];
    while (Date.now() < deadline) {
      tasks = await query('kumo_tasks_total{job="kumod",outcome="done"}').catch(() => []);
      if (tasks.length >= 4) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(Object.fromEntries(tasks.map((t) => [t.metric.task, Number(t.value[1])]))).toEqual({
      spawn: 1,
      stop: 1,
      start: 1,
      delete: 1,
    });
    const requests = await query('kumo_http_requests_total{job="kumod",code="200"}');
    const byOp = Object.fromEntries(requests.map((r) => [r.metric.operation, Number(r.value[1])]));
    expect(byOp).toMatchObject({ createInstances: 1, stopInstance: 1, startInstance: 1, deleteInstance: 1 });
    expect(byOp.describeUsage).toBe(1);
    const latency = await query('kumo_http_request_duration_seconds_count{operation="createInstances"}');
    expect(latency.map((r) => Number(r.value[1]))).toEqual([1]);
  } finally {
    prom.kill('SIGKILL');
  }
}, 90_000);

test('a prepaid instance through JD’s API: its charge, the refused delete, and renewal by the admin', async () => {
  at(5000);
  const image = (await user.request<{ images: { imageId: string }[] }>('GET', `/v1/regions/${REGION}/images`))
    .images[0]!;
  const { instanceIds } = await user.createInstances({
    instanceSpec: {
      az: `${REGION}a`,
      instanceType: 't.n1.micro',
      imageId: image.imageId,
      name: 'monthly',
      charge: { chargeMode: 'prepaid_by_duration', chargeUnit: 'month', chargeDuration: 2 },
    },
  });
  const id = instanceIds[0]!;
  await until(id, 'running');
  expect((await user.describeInstance(id)).instance.charge).toEqual({
    chargeMode: 'prepaid_by_duration',
    chargeStatus: 'normal',
    chargeStartTime: iso(5000),
    chargeExpiredTime: '2026-05-01T11:23:20Z',
    chargeRetireTime: '2026-05-08T11:23:20Z',
  });
  await expect(user.deleteInstance(id)).rejects.toMatchObject({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: `Instance ${id} is prepaid_by_duration and has not expired, it cannot be deleted`,
  });
  const admin = {
    KUMO_ACCESS_KEY: kumod.credentials.accessKey,
    KUMO_SECRET_KEY: kumod.credentials.secretKey,
    KUMO_ENDPOINT: kumod.endpoint,
  };
  expect(ok(kumo(admin, 'instance', 'renew', id, '--unit', 'year', '--duration', '1'))).toBe(
    `${id} expires at 2027-05-01T11:23:20Z`,
  );
  expect((await user.describeInstance(id)).instance.charge!.chargeExpiredTime).toBe('2027-05-01T11:23:20Z');
  // Past the expiry the delete is allowed (the charge timer would stop it first).
  writeFileSync(clockFile, '2027-05-01T11:23:20Z');
  expect((await user.describeInstance(id)).instance.charge!.chargeStatus).toBe('expired');
  await user.deleteInstance(id);
  await until(id, undefined);
}, 60_000);

test('a prepaid instance through Tencent’s SDK: PREPAID with its ExpiredTime, TerminateInstances refused', async () => {
  // The clock only moves forward (the JD test above left it in May 2027).
  writeFileSync(clockFile, '2027-06-01T00:00:00Z');
  const cvm = cvmClient(kumod.endpoint, userKeys, REGION);
  const image = (await user.request<{ images: { imageId: string }[] }>('GET', `/v1/regions/${REGION}/images`))
    .images[0]!;
  const run = {
    Placement: { Zone: `${REGION}a` },
    ImageId: image.imageId,
    InstanceType: 't.n1.micro',
    InstanceName: 'tc-monthly',
  };
  // Periods outside JD's (1–9 months, 1–3 years) and a period without PREPAID are refused.
  for (const bad of [
    { InstanceChargeType: 'PREPAID', InstanceChargePrepaid: { Period: 10 } },
    { InstanceChargeType: 'PREPAID' },
    { InstanceChargePrepaid: { Period: 1 } },
  ])
    expect(await codeOf(cvm.RunInstances({ ...run, ...bad }))).toMatch(
      /^(InvalidParameterValue|MissingParameter)/,
    );
  const { InstanceIdSet } = await cvm.RunInstances({
    ...run,
    InstanceChargeType: 'PREPAID',
    InstanceChargePrepaid: { Period: 12, RenewFlag: 'NOTIFY_AND_MANUAL_RENEW' },
  });
  const cvmId = InstanceIdSet![0]!;
  const described = await cvm.DescribeInstances({ InstanceIds: [cvmId] });
  expect(described.InstanceSet![0]).toMatchObject({
    InstanceChargeType: 'PREPAID',
    ExpiredTime: '2028-06-01T00:00:00Z',
  });
  // Tencent's SDK does not sign the action: the same body must not repeat within one second.
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100));
  await nextSecond();
  expect(await codeOf(cvm.TerminateInstances({ InstanceIds: [cvmId] }))).toBe(
    'UnsupportedOperation.InstanceChargeType',
  );
  // Past the expiry it goes.
  writeFileSync(clockFile, '2028-06-01T00:00:00Z');
  await nextSecond();
  await cvm.TerminateInstances({ InstanceIds: [cvmId] });
  const jdId = described.InstanceSet![0]!.Uuid!;
  await until(jdId, undefined);
}, 60_000);
