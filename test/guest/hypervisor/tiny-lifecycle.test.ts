// Guest tier: the tiny image through a whole lifecycle on a real libvirtd, checked from inside the
// guest over SSH: power off (graceful), power on, reboot, resize, rebuild, destroy.
import { jest } from '@jest/globals';
import type { InstanceSpec } from '@kumo/hypervisor';
import {
  buildImage,
  keypair,
  sshExec,
  tinyVariant,
  virsh,
  waitSsh,
} from '../../../packages/hypervisor/test/support.js';
import { guestSuite } from './support.js';

jest.setTimeout(10 * 60_000);

const suite = guestSuite('tiny', 63);
const net = suite.net;

test('tiny guest: power off, power on, reboot, resize, rebuild, destroy', async () => {
  const tiny = await buildImage('tiny');
  const variant = tinyVariant(tiny, 'tiny-variant');
  await suite.fx.host.ensureImage(tiny.manifest, tiny.files);
  await suite.fx.host.ensureImage(variant.manifest, variant.files);
  const key = keypair('kumo-hvtest-tiny');
  const spec: InstanceSpec = {
    id: 'tiny1',
    hostname: 'kumo-tiny-guest',
    image: tiny.manifest,
    type: { vcpus: 1, memoryMiB: 256 },
    rootDiskBytes: 1024 ** 3,
    nic: suite.nic(10),
    login: { authorizedKeys: [key.publicKey] },
  };
  const ip = spec.nic.ip;
  const sh = (cmd: string) => sshExec(ip, 'root', key.privateKey, cmd, 15_000).then((s) => s.trim());
  const ready = () => waitSsh(ip, 'root', key.privateKey, 120_000);
  const cpus = async () => Number(await sh('grep -c ^processor /proc/cpuinfo'));
  const memMiB = async () => Number(await sh("awk '/MemTotal/ {print $2}' /proc/meminfo")) / 1024;

  const t0 = Date.now();
  await suite.fx.host.spawn(spec);
  const { seconds } = await ready();
  console.log(
    `tiny: SSH ready ${((Date.now() - t0) / 1000).toFixed(1)} s after spawn (${seconds.toFixed(1)} s polling)`,
  );
  expect(await sh('hostname')).toBe('kumo-tiny-guest');
  expect(await sh('cat /root/.ssh/authorized_keys')).toContain(
    key.publicKey.split(' ').slice(0, 2).join(' '),
  );
  expect(await sh('ip -4 -o addr show dev eth0')).toContain(`inet ${ip}/24`);
  expect(Number(await sh('cat /sys/block/vda/size')) * 512).toBe(spec.rootDiskBytes);
  expect(await cpus()).toBe(1);
  expect(await memMiB()).toBeLessThanOrEqual(256);
  expect(await sh('cat /mnt/root/etc/os-release')).toContain('KUMO_IMAGE=tiny');

  // Graceful power off: the guest handles the ACPI button itself, nothing is forced.
  expect(await suite.fx.host.powerOff('tiny1', { gracefulTimeoutMs: 60_000 })).toEqual({ forced: false });
  expect(await suite.fx.host.state('tiny1')).toBe('stopped');
  await expect(sshExec(ip, 'root', key.privateKey, 'true', 3000)).rejects.toBeDefined();

  await suite.fx.host.powerOn('tiny1');
  expect(await suite.fx.host.state('tiny1')).toBe('running');
  await ready();
  const bootBefore = await sh('cat /proc/sys/kernel/random/boot_id');

  // Reboot: a new boot (new boot_id) whose uptime is shorter than the time since we asked.
  const tReboot = Date.now();
  await suite.fx.host.reboot('tiny1');
  let bootAfter = bootBefore;
  while (bootAfter === bootBefore) {
    await new Promise((r) => setTimeout(r, 500));
    bootAfter = await sh('cat /proc/sys/kernel/random/boot_id').catch(() => bootBefore);
    if (Date.now() - tReboot > 120_000) throw new Error('guest did not reboot');
  }
  const uptime = Number((await sh('cat /proc/uptime')).split(' ')[0]);
  expect(uptime).toBeLessThan((Date.now() - tReboot) / 1000);
  expect(await suite.fx.host.state('tiny1')).toBe('running');

  // Resize needs the instance stopped.
  await expect(suite.fx.host.resize('tiny1', { vcpus: 2, memoryMiB: 512 })).rejects.toMatchObject({
    code: 'INVALID_STATE',
  });
  await suite.fx.host.powerOff('tiny1', { gracefulTimeoutMs: 60_000 });
  await suite.fx.host.resize('tiny1', { vcpus: 2, memoryMiB: 512 });
  await suite.fx.host.powerOn('tiny1');
  await ready();
  expect(await cpus()).toBe(2);
  expect(await memMiB()).toBeGreaterThan(400);
  await sh('echo old > /mnt/root/marker && sync');

  // Rebuild to another image: new root filesystem, same address and key.
  await suite.fx.host.powerOff('tiny1', { gracefulTimeoutMs: 60_000 });
  await suite.fx.host.rebuild('tiny1', { ...spec, image: variant.manifest });
  await suite.fx.host.powerOn('tiny1');
  await ready();
  expect(await sh('cat /mnt/root/etc/os-release')).toContain('KUMO_IMAGE=tiny-variant');
  expect(await sh('ls /mnt/root/marker 2>/dev/null || echo gone')).toBe('gone');
  expect(await sh('ip -4 -o addr show dev eth0')).toContain(`inet ${ip}/24`);
  expect(await cpus()).toBe(2);
  expect(Number(await sh('cat /sys/block/vda/size')) * 512).toBe(spec.rootDiskBytes);

  // Destroy: no domain, volume, seed or reservation left.
  await suite.fx.host.destroy('tiny1');
  expect(virsh('list', '--all', '--name')).not.toContain('kumo-hvtest-tiny-tiny1');
  expect(virsh('vol-list', suite.fx.poolName)).not.toContain('tiny-tiny1-');
  expect(virsh('net-dumpxml', 'kumo-hvtest-tiny-net-tiny')).not.toContain(net.mac(10));
  expect(await suite.fx.host.state('tiny1')).toBe('absent');
});
