// Moving a local disk between hosts (see move.sh): LocalBackend.moveVolume — the qcow2 file's
// bytes downloaded from one host's libvirt and uploaded to the other's through this process,
// then read back and compared — against the same bytes piped through this process over SSH
// (`ssh A cat file | ssh B 'cat > file'`, the same two hops), in the same run, on two test hosts
// in their own namespaces. Every loop is bounded; the hosts are removed at the end.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalBackend, type StorageHost } from '@kumo/storage';
import { startTestHost, stopAllTestHosts, type TestHost } from '../../test/support/hosts.js';
import { load, machine, median } from '../support.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const GIB = Number(process.env.GIB ?? 2);
const POOL_PATH = '/var/lib/libvirt/kumo-bench-move';
const POOL = 'kumo-bench-move';
const DISK = 'vol-benchmove1';

/** ssh to a test host as root with its own client key (the host's sshd). */
const sshArgs = (h: TestHost) => [
  '-i',
  join(h.stateDir, 'ssh', 'client_key'),
  '-o',
  `UserKnownHostsFile=${join(h.stateDir, 'ssh', 'known_hosts')}`,
  '-o',
  'BatchMode=yes',
  `root@${h.ip}`,
];

/** `ssh from cat path | ssh to 'cat > out'`, timed; resolves with milliseconds. */
function pipeOverSsh(from: TestHost, to: TestHost, path: string, out: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const src = spawn('ssh', [...sshArgs(from), 'cat', path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dst = spawn('ssh', [...sshArgs(to), `cat > ${out}`], { stdio: ['pipe', 'ignore', 'inherit'] });
    src.stdout.pipe(dst.stdin);
    const timer = setTimeout(() => {
      src.kill();
      dst.kill();
      reject(new Error('ssh pipe took over 10 minutes'));
    }, 600_000);
    dst.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - t0);
      else reject(new Error(`ssh to ${to.name} exited ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const hosts: TestHost[] = [];
  try {
    const a = await startTestHost('bmv1', { ssh: true });
    hosts.push(a);
    const b = await startTestHost('bmv2', { ssh: true });
    hosts.push(b);
    const backend = new LocalBackend({ poolName: POOL, path: POOL_PATH });
    const ha: StorageHost = { id: a.name, uri: a.uri };
    const hb: StorageHost = { id: b.name, uri: b.uri };
    await backend.prepareHost(ha);
    await backend.prepareHost(hb);
    // A disk with GIB GiB of data: qemu-io writes it into the volume's file on host A (seen from
    // here under the host's state directory).
    await backend.ensureVolume(DISK, 2 * GIB * 2 ** 30, ha);
    const fileOn = (h: TestHost) => join(h.stateDir, 'lib', 'kumo-bench-move', `${DISK}.qcow2`);
    // In 256 MiB requests (qemu-io refuses one request of 2 GiB or more).
    const writes = Array.from({ length: GIB * 4 }, (_, i) => ['-c', `write -P 0x5a ${i * 256}M 256M`]).flat();
    execFileSync('qemu-io', ['-f', 'qcow2', ...writes, fileOn(a)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const bytes = Number(execFileSync('stat', ['-c', '%s', fileOn(a)], { encoding: 'utf8' }).trim());
    const path = `${POOL_PATH}/${DISK}.qcow2`;

    const moves: number[] = [];
    const pipes: number[] = [];
    let here = a;
    let there = b;
    for (let i = 0; i < ROUNDS; i++) {
      pipes.push(await pipeOverSsh(here, there, path, `${POOL_PATH}/baseline.bin`));
      await there.exec(['rm', '-f', join(there.stateDir, 'lib', 'kumo-bench-move', 'baseline.bin')]);
      const t0 = performance.now();
      await backend.moveVolume(DISK, { id: here.name, uri: here.uri }, { id: there.name, uri: there.uri });
      moves.push(performance.now() - t0);
      [here, there] = [there, here];
    }
    await backend.removeVolume(DISK, { id: here.name, uri: here.uri });
    await backend.releaseHost(ha);
    await backend.releaseHost(hb);
    await backend.close();
    const mbps = (ms: number) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
    const move = median(moves);
    const pipe = median(pipes);
    console.log(machine());
    console.log(`load before: ${load()}`);
    console.log(
      `local disk move, ${GIB} GiB of data (file ${(bytes / 2 ** 30).toFixed(2)} GiB), ${ROUNDS} rounds, median: ` +
        `moveVolume (copy + read-back check) ${(move / 1000).toFixed(1)} s = ${mbps(move)} MiB/s; ` +
        `ssh cat | ssh cat (same two hops, no check) ${(pipe / 1000).toFixed(1)} s = ${mbps(pipe)} MiB/s; ` +
        `ratio ${(pipe / move).toFixed(2)}× of the baseline's throughput`,
    );
  } finally {
    await stopAllTestHosts();
  }
}

await main();
