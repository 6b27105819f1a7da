// createInstances → SSH-ready through kumod's API, against the same domain started with plain virsh
// (see run.sh). Runs inside the test namespace beside its libvirtd; creates only kumo-bc2s-* objects
// (domains, networks, pool, files in its own pool directory) and removes them all at the end.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import ssh2 from 'ssh2';
import { KumoApiError, type KumoClient } from '@kumo/client';
import { clientFor } from '../../test/support/kumod.js';
import { pollSsh } from '../../test/support/ssh.js';
import { removeLibvirtObjects, virsh } from '../../test/support/virsh.js';
import { createAccount, load, machine, median, sec, startBenchKumod } from '../support.js';

const { utils } = ssh2;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PREFIX = 'kumo-bc2s-';
const REGION = 'local-1';
const SUBNET_BLOCK = '10.249';
const SSH_TIMEOUT_MS = 120_000;
const tinyDir = process.argv[2] ?? '';
if (!tinyDir) throw new Error('usage: bench.ts TINY_IMAGE_DIR');

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The same poll for both paths: try an SSH login with the injected key every 100 ms until it works.
const waitSsh = (ip: string, key: string) => pollSsh(ip, 'root', key, SSH_TIMEOUT_MS);

/** QEMU's "starting up" line in libvirt's per-domain log, as epoch ms (when libvirt launched QEMU). */
function qemuLaunchedAt(domain: string): number {
  const log = readFileSync(`/var/log/libvirt/qemu/${domain}.log`, 'utf8');
  const lines = log.split('\n').filter((l) => l.includes(': starting up'));
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})\+0000/.exec(lines.at(-1) ?? '');
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : NaN;
}

/** Removes every libvirt object and file with the bench's prefix (also what a crashed run left). */
function cleanup(poolDir?: string): void {
  removeLibvirtObjects(PREFIX);
  if (poolDir) rmSync(poolDir, { recursive: true, force: true });
}

/** The measured values of a column: steps a round did not see (or could not date) are left out. */
const known = (xs: (number | undefined)[]) =>
  xs.filter((x): x is number => x !== undefined && Number.isFinite(x));

/** Milliseconds since a round's start at which each step was seen. */
type Marks = Partial<
  Record<
    | 'apiReturned'
    | 'leaseTaken'
    | 'rowRunning'
    | 'apiRunning'
    | 'ssh'
    | 'qemuLaunched'
    | 'overlayBorn'
    | 'seedBorn'
    | 'seedWritten'
    | 'defined',
    number
  >
>;
/** One plain-virsh round (and its diagnosis of a concurrent DHCP reservation). */
interface PlainRound {
  started: number;
  ssh: number;
  qemuLaunched: number;
  prepMs: number;
  diag?: {
    netUpdateAlone: number;
    withUpdate: { updMs: number; startReturned: number; qemuLaunched: number };
  };
}

async function main() {
  cleanup();
  const work = mkdtempSync(join(tmpdir(), 'kumo-bench-c2s-'));
  const poolDir = mkdtempSync(join(tmpdir(), 'kumo-bc2s-pool-'));
  chmodSync(work, 0o755);
  chmodSync(poolDir, 0o755); // QEMU runs as an unprivileged user that must enter the pool directory
  const { kumod, dbUrl } = await startBenchKumod(work, {
    KUMO_LOG_LEVEL: 'info',
    KUMO_LOCAL_HOST: 'qemu:///system',
    KUMO_LOCAL_HOST_ACCELERATOR: 'qemu',
    KUMO_LIBVIRT_PREFIX: PREFIX,
    KUMO_SUBNET_BLOCK: SUBNET_BLOCK,
    KUMO_POOL_DIR: poolDir,
    KUMO_IMAGE_IMPORT_DIRS: tinyDir,
    // The test environment's OVN central; its chassis is the local host (scripts/libvirtd-up.sh).
    KUMO_OVN_NB: process.env.KUMO_TEST_OVN_NB ?? 'unix:/var/lib/kumo-test/ovn/central/run/nb.sock',
    KUMO_NETWORK_SYNC_INTERVAL_MS: '200',
    KUMO_RATE_LIMIT_PER_MINUTE: '100000',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
  });
  let db: pg.Client | undefined;
  try {
    const admin = kumod.admin();
    const { image } = await admin.adminRequest<{ image: { imageId: string } }>('POST', '/images:import', {
      body: { manifestPath: join(tinyDir, 'manifest.json'), regionId: REGION, name: 'tiny' },
    });
    // Guests are reached on elastic IPs from the test namespace, on the provider network br-ex
    // (198.18.246.0/24); this bench's pool is a /28 no test file uses.
    const provider = await admin.adminRequest<{ externalNetworkId: string }>('POST', '/externalNetworks', {
      body: {
        cidr: '198.18.246.0/24',
        gateway: '198.18.246.1',
        physicalNetwork: 'provider',
        gatewayChassis: ['kumo-test'],
      },
    });
    await admin.adminRequest('POST', '/eipPools', {
      body: { externalNetworkId: provider.externalNetworkId, cidr: '198.18.246.16/28', provider: 'bgp' },
    });
    const user = clientFor(kumod.endpoint, await createAccount(kumod, 'bench'), REGION);
    const key = utils.generateKeyPairSync('ed25519', { comment: 'bench' });
    await user.importKeypair('bench-key', key.public.trim());
    // The user's own default subnet: subnets belong to accounts.
    const { subnets } = await user.request<{ subnets: { subnetId: string; az: string }[] }>(
      'GET',
      `/v1/regions/${REGION}/subnets`,
    );
    const subnetId = subnets.find((s) => s.az === 'local-1a')?.subnetId;
    if (!subnetId) throw new Error('kumod made no subnet in local-1a');
    const rowDb = new pg.Client({ connectionString: dbUrl });
    db = rowDb;
    await rowDb.connect();

    /** One create through the API, timed: returns the marks (ms since the call) and the instance. */
    const kumoRound = async (name: string) => {
      const marks: Marks = {};
      const t0 = now();
      const wall0 = Date.now();
      const { instanceIds } = await user.createInstances({
        instanceSpec: {
          name,
          az: 'local-1a',
          instanceType: 't.n1.nano',
          imageId: image.imageId,
          keyNames: ['bench-key'],
          primaryNetworkInterface: { networkInterface: { subnetId } },
          systemDisk: { diskCategory: 'local' },
          elasticIp: { bandwidthMbps: 200, provider: 'bgp' },
        },
      });
      marks.apiReturned = now() - t0;
      const [id] = instanceIds;
      if (!id) throw new Error('createInstances returned no instance id');
      // Watch the row directly (20 ms) for the worker taking the task's lease, and the API for `running`.
      for (;;) {
        const { rows } = await rowDb.query<{ task_owner: string | null; status: string }>(
          'SELECT task_owner, status FROM instances WHERE id = $1',
          [id],
        );
        if (marks.leaseTaken === undefined && (rows[0]?.task_owner || rows[0]?.status === 'running'))
          marks.leaseTaken = now() - t0;
        if (rows[0]?.status === 'running') break;
        if (rows[0]?.status === 'error') throw new Error(`instance ${id} went to error`);
        if (now() - t0 > SSH_TIMEOUT_MS) throw new Error(`instance ${id} not running`);
        await sleep(20);
      }
      marks.rowRunning = now() - t0;
      const { instance } = await user.describeInstance(id);
      if (instance.status !== 'running') throw new Error(`describeInstance says ${instance.status}`);
      marks.apiRunning = now() - t0;
      const ip = instance.elasticIpAddress;
      if (!ip) throw new Error(`instance ${id} has no elastic IP`);
      await waitSsh(ip, key.private);
      marks.ssh = now() - t0;
      const domain = `${PREFIX}${id}`;
      marks.qemuLaunched = qemuLaunchedAt(domain) - wall0;
      // Where the time between the lease and QEMU's launch goes, from what the steps leave behind:
      // the overlay's and the seed's birth (create-overlay, upload-seed start), the seed's last
      // write (upload end), and libvirt's saved domain XML (define).
      for (const f of readdirSync(poolDir)) {
        if (!f.includes(id)) continue;
        const st = statSync(join(poolDir, f));
        const kind = /seed/.test(f) ? 'seed' : 'overlay';
        marks[`${kind}Born`] = st.birthtimeMs - wall0;
        if (kind === 'seed') marks.seedWritten = st.mtimeMs - wall0;
      }
      try {
        marks.defined = statSync(`/etc/libvirt/qemu/${domain}.xml`).mtimeMs - wall0;
      } catch {
        /* not persistent */
      }
      return { id, domain, ip, marks };
    };

    // Warm-up (untimed for the comparison, reported): the first create uploads the image and
    // defines the network on the host; every later create finds them there.
    console.log(`kumod up; load average ${load()}`);
    const cold = await kumoRound('warm');
    console.log(`cold create (image upload + network): ${sec(cold.marks.ssh)} s to SSH`);
    await deleteAndWait(user, cold.id, cold.domain);

    const kumo: Marks[] = [];
    const plain: PlainRound[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Kumo: createInstances through the API, poll until SSH answers with the injected key.
      const k = await kumoRound(`bench-${i}`);
      kumo.push(k.marks);
      // Prepare the virsh clone, untimed: Kumo's domain XML with fresh copies of its disks.
      const xml = virsh('dumpxml', '--inactive', '--security-info', k.domain);
      const disks = [...xml.matchAll(/<source file='([^']+)'/g)].flatMap((m) => (m[1] ? [m[1]] : []));
      const name = `${PREFIX}plain-${i}`;
      let cloneXml = xml
        .replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`)
        .replace(/<uuid>[^<]*<\/uuid>\s*/, '');
      const tPrep = now();
      const made: string[] = [];
      for (const [j, path] of disks.entries()) {
        const copy = join(poolDir, `${name}-disk${j}`);
        const info = JSON.parse(
          execFileSync('qemu-img', ['info', '-U', '--output=json', path], { encoding: 'utf8' }),
        ) as {
          'backing-filename'?: string;
          'full-backing-filename'?: string;
          'backing-filename-format'?: string;
          'virtual-size': number;
        };
        if (info['backing-filename']) {
          // The root overlay: a new empty overlay on the same base image, the same size.
          execFileSync('qemu-img', [
            'create',
            '-q',
            '-f',
            'qcow2',
            '-b',
            info['full-backing-filename'] ?? info['backing-filename'],
            '-F',
            info['backing-filename-format'] ?? 'qcow2',
            copy,
            String(info['virtual-size']),
          ]);
        } else {
          copyFileSync(path, copy); // the seed (read once at boot), as Kumo built it
        }
        made.push(copy);
        cloneXml = cloneXml.replaceAll(`'${path}'`, `'${copy}'`);
      }
      const prepMs = now() - tPrep;
      // Same MAC, address and OVN port (interfaceid) as Kumo's instance, so the same elastic IP
      // reaches it: Kumo's instance is stopped first (its port and EIP stay), so the two never run
      // at once, and deleted after the clone's round.
      await user.stopInstance(k.id);
      await waitStopped(user, k.id);
      const xmlPath = join(work, `${name}.xml`);
      writeFileSync(xmlPath, cloneXml);
      const t0 = now();
      const wall0 = Date.now();
      virsh('define', xmlPath);
      virsh('start', name);
      const started = now() - t0;
      await waitSsh(k.ip, key.private);
      plain.push({ started, ssh: now() - t0, qemuLaunched: qemuLaunchedAt(name) - wall0, prepMs });
      virsh('destroy', name);
      // Diagnosis, not part of the comparison: what Kumo's spawn does beside define+start — a live
      // DHCP reservation on the network (virNetworkUpdate, AFFECT_LIVE|CONFIG) — alone, and with
      // `virsh start` issued while it runs. Only QEMU's launch is timed; the guest is destroyed at once.
      const net = /<source network='([^']+)'/.exec(cloneXml)?.[1];
      if (net) {
        const probe = `<host mac='52:54:00:ff:ff:f${i}' name='${PREFIX}probe' ip='${k.ip.replace(/\.\d+$/, '.25' + i)}'/>`;
        const upd = (cmd: string) => ['net-update', net, cmd, 'ip-dhcp-host', probe, '--live', '--config'];
        let t = now();
        virsh(...upd('add-last'));
        const alone = now() - t;
        virsh(...upd('delete'));
        t = now();
        const w = Date.now();
        const child = spawn('virsh', ['-q', '-c', 'qemu:///system', ...upd('add-last')], { stdio: 'ignore' });
        const updDone = new Promise<number>((r) => child.on('exit', () => r(now() - t)));
        await sleep(20);
        virsh('start', name);
        const startReturned = now() - t;
        const updMs = await updDone;
        plain.at(-1)!.diag = {
          netUpdateAlone: alone,
          withUpdate: { updMs, startReturned, qemuLaunched: qemuLaunchedAt(name) - w },
        };
        virsh('destroy', name);
        virsh(...upd('delete'));
      }
      virsh('undefine', name);
      for (const f of made) rmSync(f, { force: true });
      await deleteAndWait(user, k.id, k.domain);
      console.log(
        `round ${i + 1}: kumo ${sec(k.marks.ssh)} s (running ${sec(k.marks.apiRunning)} s), virsh ${sec(plain.at(-1)!.ssh)} s`,
      );
    }

    const col = <T>(xs: T[], f: (x: T) => number | undefined) => xs.map(f);
    const stat = (raw: (number | undefined)[]) => {
      const xs = known(raw);
      if (!xs.length) return { median: '-', min: '-', all: '' };
      return { median: sec(median(xs)), min: sec(Math.min(...xs)), all: xs.map(sec).join(' ') };
    };
    console.log(`\n${machine()}  TCG`);
    console.log(`load average ${load()}; ${ROUNDS} rounds each, interleaved\n`);
    console.table({
      'kumo: createInstances returned': stat(col(kumo, (m) => m.apiReturned)),
      'kumo: worker took the task': stat(col(kumo, (m) => m.leaseTaken)),
      'kumo: overlay file created': stat(col(kumo, (m) => m.overlayBorn)),
      'kumo: seed file created': stat(col(kumo, (m) => m.seedBorn)),
      'kumo: seed file last written': stat(col(kumo, (m) => m.seedWritten)),
      'kumo: domain defined (XML saved)': stat(col(kumo, (m) => m.defined)),
      'kumo: QEMU launched (libvirt log)': stat(col(kumo, (m) => m.qemuLaunched)),
      'kumo: row says running': stat(col(kumo, (m) => m.rowRunning)),
      'kumo: describeInstance running': stat(col(kumo, (m) => m.apiRunning)),
      'kumo: SSH ready': stat(col(kumo, (m) => m.ssh)),
      'virsh: QEMU launched (libvirt log)': stat(col(plain, (m) => m.qemuLaunched)),
      'virsh: define+start returned': stat(col(plain, (m) => m.started)),
      'virsh: SSH ready': stat(col(plain, (m) => m.ssh)),
      'diag: virsh net-update dhcp-host alone': stat(col(plain, (m) => m.diag?.netUpdateAlone)),
      'diag: start during net-update → QEMU launched': stat(
        col(plain, (m) => m.diag?.withUpdate.qemuLaunched),
      ),
      'diag: start during net-update → start returned': stat(
        col(plain, (m) => m.diag?.withUpdate.startReturned),
      ),
      '(untimed clone prep: overlay + seed copy)': stat(col(plain, (m) => m.prepMs)),
    });
    const kMed = median(known(col(kumo, (m) => m.ssh)));
    const pMed = median(known(col(plain, (m) => m.ssh)));
    const kMin = Math.min(...known(col(kumo, (m) => m.ssh)));
    const pMin = Math.min(...known(col(plain, (m) => m.ssh)));
    // Boot itself varies by a second or more under TCG; compare Kumo's and virsh's time to QEMU launch
    // too, which is where Kumo's overhead lies (after the launch both run the same guest).
    const kLaunch = median(known(col(kumo, (m) => m.qemuLaunched)));
    const pLaunch = median(known(col(plain, (m) => m.qemuLaunched)));
    console.log(
      `overhead (Kumo − virsh), create→SSH: median ${sec(kMed - pMed)} s, min ${sec(kMin - pMin)} s; ratio ${(kMed / pMed).toFixed(2)}`,
    );
    console.log(`overhead (Kumo − virsh), request→QEMU launched: median ${sec(kLaunch - pLaunch)} s`);
    console.log(`goal (overhead <= 0.3 s, median): ${kMed - pMed <= 300 ? 'met' : 'MISSED'}`);
    console.log(JSON.stringify({ kumo, plain }));
  } finally {
    await db?.end().catch(() => undefined);
    await Promise.race([kumod.stop(), sleep(25_000)]);
    cleanup(poolDir);
    if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** Waits (bounded) until the API says the instance is stopped. */
async function waitStopped(user: KumoClient, id: string): Promise<void> {
  const end = Date.now() + 120_000;
  while ((await user.describeInstance(id)).instance.status !== 'stopped') {
    if (Date.now() > end) throw new Error(`instance ${id} did not stop`);
    await sleep(100);
  }
}

/** deleteInstance through the API, then wait (bounded) until the row and the domain are gone. */
async function deleteAndWait(user: KumoClient, id: string, domain: string): Promise<void> {
  try {
    await user.deleteInstance(id);
  } catch {
    /* already deleting */
  }
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    let gone = false;
    try {
      await user.describeInstance(id);
    } catch (err) {
      if (err instanceof KumoApiError && err.httpStatus === 404) gone = true;
      else throw err;
    }
    if (
      gone &&
      !virsh('list', '--all', '--name')
        .split('\n')
        .some((l) => l.trim() === domain)
    )
      return;
    await sleep(200);
  }
  throw new Error(`instance ${id} not deleted in 120 s`);
}

await main();
// ssh2's last sockets can keep the loop alive for a while after the end; nothing is left to do.
process.exit(0);
