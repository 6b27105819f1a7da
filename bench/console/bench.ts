/// <reference lib="dom" />
// Console bench (see run.sh): describeInstanceVncUrl → first frame drawn by noVNC in Chromium, p50
// of 10; then keystroke → echo round trips through kumod's WebSocket proxy against a direct
// connection to the guest's VNC socket from the same namespace, rounds interleaved on two open
// connections. Creates only kumo-bcon-* objects and removes them at the end.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import ssh2 from 'ssh2';
import WebSocket, { createWebSocketStream } from 'ws';
import { clientFor } from '../../test/support/kumod.js';
import { pollSsh } from '../../test/support/ssh.js';
import { removeLibvirtObjects } from '../../test/support/virsh.js';
import { createAccount, load, machine, median, startBenchKumod } from '../support.js';
import { RfbClient } from './rfb.js';

const PREFIX = 'kumo-bcon-';
const REGION = 'local-1';
const FRAME_RUNS = Number(process.env.FRAME_RUNS ?? 10);
const ECHO_ROUNDS = Number(process.env.ECHO_ROUNDS ?? 30);
const tinyDir = process.argv[2] ?? '';
if (!tinyDir) throw new Error('usage: bench.ts TINY_IMAGE_DIR');
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one command over SSH (the bench's own: the test helpers' ssh2 import is CommonJS-only). */
function sshRun(host: string, privateKey: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on('ready', () =>
      c.exec(command, (err, stream) => {
        if (err) return reject(err);
        stream.on('close', () => (c.end(), resolve())).resume();
        stream.stderr.resume();
      }),
    );
    c.on('error', reject);
    c.connect({ host, username: 'root', privateKey, hostVerifier: () => true, readyTimeout: 15_000 });
  });
}

async function main(): Promise<void> {
  removeLibvirtObjects(PREFIX);
  const work = mkdtempSync(join(tmpdir(), 'kumo-bench-console-'));
  const poolDir = mkdtempSync(join(tmpdir(), 'kumo-bcon-pool-'));
  chmodSync(work, 0o755);
  chmodSync(poolDir, 0o755);
  const { kumod } = await startBenchKumod(work, {
    KUMO_LOCAL_HOST: 'qemu:///system',
    KUMO_LOCAL_HOST_ACCELERATOR: 'qemu',
    KUMO_LIBVIRT_PREFIX: PREFIX,
    KUMO_SUBNET_BLOCK: '10.212',
    KUMO_POOL_DIR: poolDir,
    KUMO_IMAGE_IMPORT_DIRS: tinyDir,
    KUMO_CONSOLE_MAX_PER_INSTANCE: '4',
    KUMO_RATE_LIMIT_PER_MINUTE: '100000',
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const admin = kumod.admin();
    const { image } = await admin.adminRequest<{ image: { imageId: string } }>('POST', '/images:import', {
      body: { manifestPath: join(tinyDir, 'manifest.json'), regionId: REGION, name: 'tiny' },
    });
    const user = clientFor(kumod.endpoint, await createAccount(kumod, 'bench'), REGION);
    const key = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'bench' });
    await user.importKeypair('bench-key', key.public.trim());
    const { subnets } = await admin.request<{ subnets: { subnetId: string; az: string }[] }>(
      'GET',
      `/v1/regions/${REGION}/subnets`,
    );
    const { instanceIds } = await user.createInstances({
      instanceSpec: {
        name: 'bcon',
        az: 'local-1a',
        instanceType: 't.n1.nano',
        imageId: image.imageId,
        keyNames: ['bench-key'],
        password: 'kcon-bench1',
        primaryNetworkInterface: { networkInterface: { subnetId: subnets[0]!.subnetId } },
        systemDisk: { diskCategory: 'local' },
      },
    });
    const id = instanceIds[0]!;
    for (let i = 0; i < 300; i++) {
      if ((await user.describeInstance(id)).instance.status === 'running') break;
      await sleep(500);
    }
    const ip = (await user.describeInstance(id)).instance.privateIpAddress;
    await pollSsh(ip, 'root', key.private, 180_000);
    await sleep(2000); // the getty is up shortly after dropbear
    // The text cursor's blink redraws the screen several times a second; hidden, the only update
    // after a keystroke is its echo.
    await sshRun(ip, key.private, "printf '\\033[?25l' > /dev/tty1");
    const vncUrl = async () =>
      (await user.request<{ vncUrl: string }>('GET', `/v1/regions/${REGION}/instances/${id}/vnc`)).vncUrl;

    // URL request → first frame: the API call, the page, noVNC's connect and a drawn, non-blank canvas.
    const frames: number[] = [];
    for (let i = 0; i < FRAME_RUNS; i++) {
      const page = await browser.newPage();
      const t0 = now();
      await page.goto(await vncUrl());
      await page.waitForFunction(
        () => {
          const c = document.querySelector<HTMLCanvasElement>('#screen canvas');
          if (!c || c.width === 0) return false;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          for (let j = 4; j < d.length; j += 4 * 13) if (d[j] !== d[0]) return true;
          return false;
        },
        undefined,
        { timeout: 30_000, polling: 10 },
      );
      frames.push(now() - t0);
      await page.close();
    }

    // Keystroke → echo: 'a' typed at the login prompt, until the update that shows it; then erased.
    const socket = execFileSync('virsh', ['-c', 'qemu:///system', 'dumpxml', `${PREFIX}${id}`], {
      encoding: 'utf8',
    }).match(/<listen type='socket' socket='([^']+)'/)?.[1];
    if (!socket) throw new Error('no VNC socket in the live domain XML');
    const direct = new RfbClient(connect(socket));
    const token = new URL((await vncUrl()).replace('#', '?')).searchParams.get('token')!;
    const ws = new WebSocket(`${kumod.endpoint.replace(/^http/, 'ws')}/console/ws?token=${token}`, [
      'binary',
    ]);
    // The stream first: kumod speaks first on the socket, and ws drops messages nobody listens to.
    const proxied = new RfbClient(createWebSocketStream(ws));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await direct.handshake();
    await proxied.handshake();
    const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, sleep(ms).then(() => undefined)]);
    const echo = async (c: RfbClient) => {
      await sleep(300); // quiet: the last echo's updates have gone out
      const next = c.nextUpdate();
      const t0 = now();
      c.key(0x61);
      const at = await within(next, 5000);
      if (at === undefined) throw new Error('no echo within 5 s');
      c.key(0xff08); // erase it again (its redraw, if any, is not timed)
      await within(c.nextUpdate(), 1000);
      return at - t0;
    };
    const times = { direct: [] as number[], proxied: [] as number[] };
    for (let i = 0; i < ECHO_ROUNDS; i++) {
      times.direct.push(await echo(direct));
      times.proxied.push(await echo(proxied));
    }
    direct.close();
    proxied.close();

    const p50 = (xs: number[]) => median(xs).toFixed(1);
    console.log(`${machine()}  load ${load()}`);
    console.log(
      `URL → first frame in Chromium: p50 ${p50(frames)} ms over ${FRAME_RUNS} (min ${Math.min(...frames).toFixed(0)}, max ${Math.max(...frames).toFixed(0)})`,
    );
    console.log(`keystroke → echo, direct VNC socket: p50 ${p50(times.direct)} ms over ${ECHO_ROUNDS}`);
    console.log(`keystroke → echo, through kumod:     p50 ${p50(times.proxied)} ms over ${ECHO_ROUNDS}`);
    console.log(`ratio (proxy / direct): ${(median(times.proxied) / median(times.direct)).toFixed(2)}×`);
  } finally {
    await browser.close();
    await kumod.stop();
    removeLibvirtObjects(PREFIX);
    rmSync(poolDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
