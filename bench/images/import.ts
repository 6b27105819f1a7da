// importImage throughput (see run.sh): a qcow2 holding IMPORT_MB of data, served over loopback, is
// imported by kumod (download through the address policy, the qcow2 gate, sha256 and the synced
// local store) and timed from the importImage call to its task `finished` — against, in the same
// run and rounds interleaved, `curl` of the same URL to a file followed by `sha256sum` and `sync`
// (what an operator would do by hand to fetch and check an image). Median of ROUNDS.
import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { KumoClient } from '@kumo/client';
import { createAccount, load, machine, median, sec, startBenchKumod } from '../support.js';

const run = promisify(execFile);
const mb = Number(process.env.IMPORT_MB ?? 1024);
const rounds = Number(process.env.ROUNDS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'kumo-bench-import-'));
const image = join(work, 'image.qcow2');

execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, `${Math.max(2, Math.ceil(mb / 1024) + 1)}G`]);
// Distinct data per MiB (a pattern byte each), so nothing on the way can skip runs of zeros.
execFileSync('qemu-io', ['-c', `write -P 0x5a 0 ${mb}M`, image], { stdio: 'ignore' });
const bytes = statSync(image).size;

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-length': bytes });
  createReadStream(image).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/image.qcow2`;

const kumodDir = mkdtempSync(join(tmpdir(), 'kumo-bench-import-kumod-'));
const { kumod } = await startBenchKumod(kumodDir, {
  KUMO_LOCAL_HOST: 'none',
  KUMO_IMAGE_IMPORT_ALLOW_CIDRS: '127.0.0.0/8',
  KUMO_QUOTA_IMAGE: '1000',
  // The bench polls imageTasks every 50 ms.
  KUMO_RATE_LIMIT_PER_MINUTE: '100000',
  KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
  KUMO_STORAGE_INTERVAL_MS: '100',
});
const keys = await createAccount(kumod, 'bench-import');
const client = new KumoClient({ endpoint: kumod.endpoint, ...keys, regionId: 'local-1' });

async function kumoImport(i: number): Promise<number> {
  const t0 = performance.now();
  const { taskId } = await client.importImage({
    architecture: 'x86_64',
    osType: 'linux',
    platform: 'Other Linux',
    diskFormat: 'qcow2',
    systemDiskSizeGB: 40,
    imageUrl: url,
    imageName: `bench-${i}`,
  });
  for (;;) {
    const t = (await client.imageTasks({ taskIds: taskId })).taskSet[0];
    if (t?.taskStatus === 'finished') return performance.now() - t0;
    if (t?.taskStatus === 'failed') throw new Error(`import failed: ${t.message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The same download by hand; asynchronous, so the bench's own file server keeps answering. */
async function byHand(): Promise<number> {
  const out = join(work, 'by-hand.qcow2');
  const t0 = performance.now();
  await run('sh', ['-c', `curl -sf -o "${out}" "${url}" && sha256sum "${out}" >/dev/null && sync "${out}"`]);
  const ms = performance.now() - t0;
  rmSync(out);
  return ms;
}

console.log(machine());
console.log(
  `load before: ${load()}; file ${(bytes / 2 ** 20).toFixed(0)} MiB (${mb} MiB of data), ${rounds} rounds`,
);
const kumoMs: number[] = [];
const handMs: number[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    kumoMs.push(await kumoImport(i));
    handMs.push(await byHand());
  }
} finally {
  await kumod.stop();
  server.close();
}
const k = median(kumoMs);
const h = median(handMs);
const rate = (ms: number) => `${((bytes / 2 ** 20 / ms) * 1000).toFixed(0)} MiB/s`;
console.log(
  `kumo importImage → finished: median ${sec(k)} s (${rate(k)}); rounds ${kumoMs.map(sec).join(', ')}`,
);
console.log(
  `curl + sha256sum + sync:     median ${sec(h)} s (${rate(h)}); rounds ${handMs.map(sec).join(', ')}`,
);
console.log(`ratio (kumo / by hand): ${(k / h).toFixed(2)}×`);
console.log(`load after: ${load()}`);
rmSync(work, { recursive: true, force: true });
rmSync(kumodDir, { recursive: true, force: true });
