// Benchmark: DOMAIN_GET_INFO (and GET_STATE) round trips over the local unix socket, @kumo/libvirt against
// the native @unraid/libvirt binding, sequentially and with 16 calls in flight. Prints a markdown table.
import { Hypervisor } from '@unraid/libvirt';
import { LibvirtClient } from '@kumo/libvirt';

const N = Number(process.env.BENCH_CALLS ?? 10_000);
const INFLIGHT = 16;
const URI = 'qemu:///system';
const NAME = `kumo-lvtest-bench-${process.pid}`;
const XML = `<domain type='qemu'><name>${NAME}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`;

/** Runs `n` calls of `fn`, `inflight` at a time; returns calls per second. */
async function measure(fn: () => Promise<unknown>, n: number, inflight: number): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < n) {
        next++;
        await fn();
      }
    }),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return n / s;
}

const kumo = await LibvirtClient.connect(URI);
const dom = await kumo.domainDefineXml(XML);
const native = new Hypervisor({ uri: URI });
await native.connectOpen();
const ndom = await native.domainLookupByName(NAME);

const cases: [string, () => Promise<unknown>][] = [
  ['@kumo/libvirt domainGetInfo', () => kumo.domainGetInfo(dom)],
  ['@kumo/libvirt domainGetState', () => kumo.domainGetState(dom)],
  ['@unraid/libvirt domainGetInfo', () => native.domainGetInfo(ndom)],
];
const results: Record<string, number> = {};
try {
  for (const [, fn] of cases) await measure(fn, 500, INFLIGHT); // warm-up
  for (const inflight of [1, INFLIGHT]) {
    // Best of five rounds, the libraries interleaved within each round, so that load from other
    // work on the machine hits all of them alike.
    for (let round = 0; round < 5; round++) {
      for (const [name, fn] of cases) {
        const key = `${name}|${inflight}`;
        results[key] = Math.max(results[key] ?? 0, await measure(fn, N, inflight));
      }
    }
  }
} finally {
  await native.connectClose();
  await kumo.domainUndefine(dom);
  await kumo.close();
}

const fmt = (x: number | undefined) => Math.round(x ?? NaN).toLocaleString('en-US');
console.log(
  `| calls in flight | @kumo/libvirt getInfo | @kumo/libvirt getState | @unraid/libvirt getInfo | ratio (getInfo, kumo/native) |`,
);
console.log(`|---|---|---|---|---|`);
for (const inflight of [1, INFLIGHT]) {
  const k = results[`@kumo/libvirt domainGetInfo|${inflight}`];
  const s = results[`@kumo/libvirt domainGetState|${inflight}`];
  const u = results[`@unraid/libvirt domainGetInfo|${inflight}`];
  console.log(
    `| ${inflight} | ${fmt(k)}/s | ${fmt(s)}/s | ${fmt(u)}/s | ${((k ?? NaN) / (u ?? NaN)).toFixed(2)}× |`,
  );
}
console.log(
  `\n${N.toLocaleString('en-US')} calls per run, best of 5 interleaved rounds; node ${process.version}; ${new Date().toISOString()}`,
);
