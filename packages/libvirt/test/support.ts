// Helpers for the libvirt integration tests: XML for test objects, deterministic stream data, RSS sampling, virsh.
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';

/** Deterministic bytes for [offset, offset+len) of a test stream (a hash of each 4-byte word's index). */
export function pattern(offset: number, len: number): Buffer {
  const start = offset - (offset % 4);
  const words = Math.ceil((offset + len - start) / 4);
  const u = new Uint32Array(words);
  let n = start / 4;
  // No global lookups in the loop: under jest's vm context each one (e.g. Math.imul) is ~30× slower.
  const imul = Math.imul;
  for (let i = 0; i < words; i++, n++) u[i] = (imul(n ^ 0x5bd1e995, 2654435761) ^ (n >>> 3)) >>> 0;
  const b = Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return b.subarray(offset - start, offset - start + len);
}

/** A readable of `total` pattern bytes in 1 MiB chunks, produced on demand (never all in memory). */
export function patternStream(total: number): Readable {
  const CHUNK = 1 << 20;
  let off = 0;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (off >= total) return void this.push(null);
      const n = Math.min(CHUNK, total - off);
      this.push(pattern(off, n));
      off += n;
    },
  });
}

/** Samples RSS every 25 ms while `fn` runs; returns fn's result and the peak RSS growth in bytes. */
export async function withRssPeak<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - base };
  } finally {
    clearInterval(t);
  }
}

/** Runs virsh against `uri` and returns stdout. */
export function virsh(uri: string, ...args: string[]): string {
  return execFileSync('virsh', ['-c', uri, ...args], { timeout: 30_000 }).toString();
}

/** XML of a dir storage pool at `path`. */
export const poolXml = (name: string, path: string) =>
  `<pool type='dir'><name>${name}</name><target><path>${path}</path></target></pool>`;

/** XML of a volume; `backing` makes it a qcow2 overlay of that path. */
export function volXml(name: string, mib: number, format: 'qcow2' | 'raw', backing?: string): string {
  const b = backing ? `<backingStore><path>${backing}</path><format type='qcow2'/></backingStore>` : '';
  return `<volume><name>${name}</name><capacity unit='MiB'>${mib}</capacity><target><format type='${format}'/></target>${b}</volume>`;
}

/** XML of an isolated network (no forward) with DHCP on 10.251.<n>.0/24 and a fixed bridge name. */
export const networkXml = (name: string, bridge: string, n: number) => `<network>
  <name>${name}</name>
  <bridge name='${bridge}' stp='on' delay='0'/>
  <ip address='10.251.${n}.1' netmask='255.255.255.0'>
    <dhcp><range start='10.251.${n}.100' end='10.251.${n}.200'/></dhcp>
  </ip>
</network>`;

/** XML of a network filter that accepts everything. */
export const nwfilterXml = (name: string) =>
  `<filter name='${name}' chain='root'><rule action='accept' direction='inout' priority='500'><all/></rule></filter>`;

/**
 * XML of a tiny TCG domain: SeaBIOS with an empty qcow2 disk and a NIC whose option ROM is
 * disabled, so it runs (looping in the BIOS) without any kernel or image.
 */
export function domainXml(name: string, o: { disk?: string; network?: string; uuid?: string }): string {
  const disk = o.disk
    ? `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${o.disk}'/><target dev='vda' bus='virtio'/></disk>`
    : '';
  const nic = o.network
    ? `<interface type='network'><source network='${o.network}'/><model type='virtio'/><rom enabled='no'/></interface>`
    : '';
  return `<domain type='qemu'>
  <name>${name}</name>${o.uuid ? `\n  <uuid>${o.uuid}</uuid>` : ''}
  <memory unit='MiB'>64</memory>
  <vcpu placement='static' current='1'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    ${disk}
    ${nic}
    <serial type='pty'/>
    <console type='pty'/>
    <memballoon model='none'/>
  </devices>
</domain>`;
}

/** Polls `cond` every 50 ms until true or `ms` elapse. */
export async function waitFor(cond: () => boolean, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
