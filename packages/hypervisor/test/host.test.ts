// Host against the real libvirtd, without booting to SSH: images, overlays, networks, destroy, and
// failure injection at every spawn step leaving the host exactly as before.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { HypervisorError, silentLogger, type InstanceSpec, type LogFields } from '@kumo/hypervisor';
import { LibvirtClient } from '@kumo/libvirt';
import { probeBoots } from '../src/probe.js';
import {
  buildImage,
  connectAgain,
  fixture,
  hostSnapshot,
  keypair,
  subnet,
  uri,
  virsh,
  type BuiltImage,
  type Fixture,
} from './support.js';

jest.setTimeout(300_000);

const net = subnet(61, 'it');
let fx: Fixture;
let tiny: BuiltImage;
let netName: string;

function spec(id: string, host: number, over: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    id,
    hostname: `vm-${id}`,
    image: tiny.manifest,
    type: { vcpus: 1, memoryMiB: 256 },
    rootDiskBytes: 1 << 30,
    nic: {
      network: 'it',
      mac: net.mac(host),
      ip: net.ip(host),
      prefix: 24,
      gateway: net.gateway,
      dns: [net.gateway],
    },
    login: { authorizedKeys: [keypair().publicKey] },
    ...over,
  };
}

beforeAll(async () => {
  tiny = await buildImage('tiny');
  fx = await fixture('it');
  await fx.host.ensureNetwork(net.spec);
  netName = 'kumo-hvtest-it-net-it';
});

afterAll(async () => {
  if (!fx) return;
  for (const i of await fx.host.list()) await fx.host.destroy(i.id);
  await fx.host.removeNetwork('it');
  await fx.cleanup();
});

test('ensureNetwork is idempotent and creates one NAT network', async () => {
  await fx.host.ensureNetwork(net.spec);
  expect(virsh('net-list', '--name')).toContain(netName);
  expect(virsh('net-dumpxml', netName)).toContain("<forward mode='nat'");
});

test('ensureImage uploads once, verifies, and is idempotent', async () => {
  const t0 = Date.now();
  await fx.host.ensureImage(tiny.manifest, tiny.files);
  const first = Date.now() - t0;
  const t1 = Date.now();
  await fx.host.ensureImage(tiny.manifest, tiny.files);
  const second = Date.now() - t1;
  expect(await fx.host.hasImage(tiny.manifest)).toBe(true);
  expect(second).toBeLessThan(Math.max(200, first));
  const vols = virsh('vol-list', fx.poolName);
  expect(vols).toMatch(/img-tiny-[0-9a-f]{12}\.root/);
});

// `virsh` prints "Key:   value" lines; this reads them into a map.
function fields(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return m;
}

test('capacity is what libvirt reports for the node and the pool, with the configured accelerator', async () => {
  const c = await fx.host.capacity();
  // capacity() refreshes the pool; pool-info then shows the figures of that refresh.
  const node = fields(virsh('nodeinfo'));
  const pool = fields(virsh('pool-info', '--bytes', fx.poolName));
  expect(c).toEqual({
    vcpus: Number(node.get('CPU(s)')),
    memoryMiB: Math.floor(parseInt(node.get('Memory size') ?? '', 10) / 1024),
    poolCapacityBytes: Number(pool.get('Capacity')),
    poolAvailableBytes: Number(pool.get('Available')),
    accelerator: 'qemu',
  });
  expect(c.poolAvailableBytes).toBeLessThanOrEqual(c.poolCapacityBytes);
});

test('spawn defines a running domain with an overlay backed by the base; destroy removes everything', async () => {
  await fx.host.ensureImage(tiny.manifest, tiny.files);
  const feed = await fx.host.events();
  const seen: string[] = [];
  const collecting = (async () => {
    for await (const ev of feed) if (ev.id === 'life') seen.push(ev.kind);
  })();
  await fx.host.spawn(spec('life', 20));
  expect(await fx.host.state('life')).toBe('running');
  expect(await fx.host.list()).toEqual([{ id: 'life', state: 'running' }]);
  const vol = virsh('vol-dumpxml', '--pool', fx.poolName, 'kumo-hvtest-it-life-root.qcow2');
  expect(vol).toContain('<backingStore>');
  expect(vol).toMatch(/<capacity unit='bytes'>1073741824</);
  expect(virsh('net-dumpxml', netName)).toContain(net.mac(20));
  // The base is protected while the overlay exists.
  await expect(fx.host.removeImage(tiny.manifest)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  await fx.host.destroy('life');
  await fx.host.destroy('life'); // idempotent
  await new Promise((r) => setTimeout(r, 300));
  await feed.close();
  await collecting;
  expect(seen).toEqual(expect.arrayContaining(['defined', 'started', 'stopped', 'undefined']));
  expect(await fx.host.state('life')).toBe('absent');
  expect(virsh('list', '--all', '--name')).not.toContain('kumo-hvtest-it-life');
  expect(virsh('vol-list', fx.poolName)).not.toContain('it-life-');
  expect(virsh('net-dumpxml', netName)).not.toContain(net.mac(20));
});

test('power off, resize, rebuild and power on keep the instance and its network identity', async () => {
  await fx.host.ensureImage(tiny.manifest, tiny.files);
  const dom = 'kumo-hvtest-it-ops';
  await fx.host.spawn(spec('ops', 21));
  expect(await fx.host.powerOff('ops', { gracefulTimeoutMs: 0 })).toEqual({ forced: true });
  expect(await fx.host.state('ops')).toBe('stopped');
  expect(await fx.host.powerOff('ops')).toEqual({ forced: false }); // already off: nothing to force
  await expect(fx.host.reboot('ops')).rejects.toMatchObject({ code: 'INVALID_STATE' });

  await fx.host.resize('ops', { vcpus: 2, memoryMiB: 384 });
  const resized = virsh('dumpxml', '--inactive', dom);
  expect(resized).toMatch(/<vcpu[^>]*>2<\/vcpu>/);
  expect(resized).toContain("<memory unit='KiB'>393216</memory>");

  // Another MAC and IP is another identity: refused before anything is created.
  const volsBefore = virsh('vol-list', fx.poolName);
  await expect(fx.host.rebuild('ops', spec('ops', 22))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  expect(virsh('vol-list', fx.poolName)).toBe(volsBefore);

  await fx.host.rebuild('ops', spec('ops', 21));
  const rebuilt = virsh('dumpxml', '--inactive', dom);
  const root = /kumo-hvtest-it-ops-root-[0-9a-z]+\.qcow2/.exec(rebuilt)?.[0];
  expect(root).toBeDefined();
  const vols = virsh('vol-list', fx.poolName);
  expect(vols).toContain(root);
  expect(vols).not.toContain('kumo-hvtest-it-ops-root.qcow2 '); // the first generation is gone
  expect(vols).not.toContain('kumo-hvtest-it-ops-seed.iso ');
  expect(virsh('vol-dumpxml', '--pool', fx.poolName, root ?? '')).toMatch(
    /<capacity unit='bytes'>1073741824</,
  );
  expect(rebuilt).toContain(net.mac(21));
  expect(rebuilt).toMatch(/<vcpu[^>]*>2<\/vcpu>/); // the resize survives the rebuild

  await fx.host.powerOn('ops');
  expect(await fx.host.state('ops')).toBe('running');
  await fx.host.destroy('ops');
  expect(virsh('vol-list', fx.poolName)).not.toContain('it-ops-');
  expect(virsh('net-dumpxml', netName)).not.toContain(net.mac(21));
});

describe('a failed spawn leaves the host exactly as before', () => {
  const steps = ['check-address', 'create-overlay', 'upload-seed', 'define', 'start', 'reserve-address'];
  test.each(steps)('injected failure at %s', async (step) => {
    await fx.host.ensureImage(tiny.manifest, tiny.files);
    const before = hostSnapshot(fx.poolName, [netName]);
    const faulty = await connectAgain(fx, {
      faultInjector: (s) => {
        if (s === step) throw new Error(`injected at ${s}`);
      },
    });
    try {
      await expect(faulty.spawn(spec('fail', 30))).rejects.toBeInstanceOf(HypervisorError);
    } finally {
      await faulty.close();
    }
    expect(hostSnapshot(fx.poolName, [netName])).toBe(before);
  });

  test('bad image checksum', async () => {
    const before = hostSnapshot(fx.poolName, [netName]);
    const bad = {
      ...tiny.manifest,
      name: 'tiny-bad',
      files: { ...tiny.manifest.files, root: { ...tiny.manifest.files.root, sha256: '0'.repeat(64) } },
    };
    await expect(fx.host.ensureImage(bad, tiny.files)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(hostSnapshot(fx.poolName, [netName])).toBe(before);
  });

  test('missing pool space', async () => {
    const before = hostSnapshot(fx.poolName, [netName]);
    await expect(fx.host.spawn(spec('fail', 30, { rootDiskBytes: 2 ** 53 - 1 }))).rejects.toMatchObject({
      code: 'INSUFFICIENT_SPACE',
    });
    expect(hostSnapshot(fx.poolName, [netName])).toBe(before);
  });

  test('define error (machine type libvirt rejects)', async () => {
    const before = hostSnapshot(fx.poolName, [netName]);
    const other = await connectAgain(fx, { machine: 'no-such-machine-type' });
    try {
      await expect(other.spawn(spec('fail', 30))).rejects.toMatchObject({ code: 'DEFINE_FAILED' });
    } finally {
      await other.close();
    }
    expect(hostSnapshot(fx.poolName, [netName])).toBe(before);
  });

  test('start error (VNC bound to an address the host does not have)', async () => {
    const before = hostSnapshot(fx.poolName, [netName]);
    const other = await connectAgain(fx, { vncListen: '203.0.113.77' });
    try {
      await expect(other.spawn(spec('fail', 30))).rejects.toMatchObject({ code: 'START_FAILED' });
    } finally {
      await other.close();
    }
    expect(hostSnapshot(fx.poolName, [netName])).toBe(before);
  });
});

test('the probe guest resets quickly under TCG, so the probe can tell a working accelerator', async () => {
  const lv = await LibvirtClient.connect(uri);
  try {
    expect(await probeBoots(lv, fx.poolName, 'kumo-hvtest-it-', 'qemu', 20_000)).toBe(true);
  } finally {
    await lv.close();
  }
});

test('accelerator probe notices a KVM that cannot boot a guest, and says so in the log', async () => {
  const warnings: string[] = [];
  const logger = {
    ...silentLogger,
    warn: (_fields: LogFields, message: string) => {
      warnings.push(message);
    },
  };
  const probed = await connectAgain(fx, { accelerator: 'probe', logger });
  try {
    const accel = (await probed.capacity()).accelerator;
    // The CI machines expose /dev/kvm through kvm_pvm, which cannot run a guest; real KVM hosts can.
    if (existsSync('/sys/module/kvm_pvm')) {
      expect(accel).toBe('qemu');
      expect(warnings).toContainEqual(expect.stringContaining('guests run under TCG'));
    } else expect(['kvm', 'qemu']).toContain(accel);
    if (accel === 'kvm') expect(warnings).toEqual([]);
    expect(virsh('list', '--all', '--name')).not.toContain('kumo-hvtest-it-kvm-probe');
    expect(virsh('vol-list', fx.poolName)).not.toContain('-probe');
  } finally {
    await probed.close();
  }
});
