// Guest tier: the one Debian boot of the suite. Spawns the Debian 12 cloud image through Host with a
// keypair made here, SSHes in with that key and checks what cloud-init applied from Kumo's seed.
import { jest } from '@jest/globals';
import type { InstanceSpec } from '@kumo/hypervisor';
import { buildImage, keypair, virsh, waitSsh, sshRetry } from '../../../packages/hypervisor/test/support.js';
import { guestSuite } from './support.js';

jest.setTimeout(15 * 60_000);

const suite = guestSuite('deb', 62);

test('Debian 12 guest: hostname, key, static IP, disk size, vCPUs and memory as specified', async () => {
  const debian = await buildImage('debian');
  await suite.fx.host.ensureImage(debian.manifest, debian.files);
  const key = keypair('kumo-hvtest-debian');
  const rootDiskBytes = 5 * 1024 ** 3;
  const spec: InstanceSpec = {
    id: 'debian1',
    hostname: 'kumo-deb-guest',
    image: debian.manifest,
    type: { vcpus: 2, memoryMiB: 1024 },
    rootDiskBytes,
    nic: suite.nic(10),
    login: { authorizedKeys: [key.publicKey] },
  };
  const t0 = Date.now();
  await suite.fx.host.spawn(spec);
  const spawned = (Date.now() - t0) / 1000;
  const { seconds } = await waitSsh(spec.nic.ip, 'debian', key.privateKey, 10 * 60_000);
  console.log(`debian: spawn ${spawned.toFixed(2)} s, SSH ready after ${(spawned + seconds).toFixed(1)} s`);
  const sh = (cmd: string) => sshRetry(spec.nic.ip, 'debian', key.privateKey, cmd).then((s) => s.trim());
  expect(await sh('hostname')).toBe('kumo-deb-guest');
  expect(await sh('cat ~/.ssh/authorized_keys')).toContain(key.publicKey);
  expect(await sh('ip -4 -o addr show dev eth0')).toContain(`inet ${spec.nic.ip}/24`);
  expect(Number(await sh('cat /sys/block/vda/size')) * 512).toBe(rootDiskBytes);
  expect(Number(await sh('nproc'))).toBe(2);
  const memKiB = Number((await sh("awk '/MemTotal/ {print $2}' /proc/meminfo")).trim());
  expect(memKiB).toBeGreaterThan(900 * 1024);
  expect(memKiB).toBeLessThanOrEqual(1024 * 1024);
  // No baked-in host keys: the guest made its own at first boot.
  expect(await sh('ls /etc/ssh/ssh_host_ed25519_key.pub')).toBe('/etc/ssh/ssh_host_ed25519_key.pub');
  await suite.fx.host.destroy('debian1');
  expect(virsh('list', '--all', '--name')).not.toContain('kumo-hvtest-deb-debian1');
});
