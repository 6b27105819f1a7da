// Fixtures shared by the unit tests: a fixed instance spec and host profile; test-only, no I/O.
import type { HostProfile } from './designer.js';
import type { ImageManifest } from './image.js';
import type { InstanceSpec } from './spec.js';

/** A direct-boot image manifest like images/build.sh writes. */
export const testImage: ImageManifest = {
  name: 'debian-12',
  os: 'debian',
  version: '12',
  arch: 'x86_64',
  rootDevice: 'virtio-blk',
  minDiskBytes: 2147483648,
  boot: { mode: 'direct', cmdline: 'root=LABEL=rootfs rw console=ttyS0 net.ifnames=0' },
  defaultUser: 'debian',
  sshPasswordAuth: true,
  files: {
    root: { path: 'root.qcow2', bytes: 1000, sha256: 'a'.repeat(64) },
    kernel: { path: 'vmlinuz', bytes: 100, sha256: 'b'.repeat(64) },
    initrd: { path: 'initrd.img', bytes: 100, sha256: 'c'.repeat(64) },
  },
};

/** An instance spec with every field set. */
export const testSpec: InstanceSpec = {
  id: 'i-0abc123',
  hostname: 'web-1',
  image: testImage,
  type: { vcpus: 2, memoryMiB: 1024 },
  rootDiskBytes: 10 * 1024 ** 3,
  nic: {
    network: 'subnet-1',
    mac: '52:54:00:12:34:56',
    ip: '10.77.1.10',
    prefix: 24,
    gateway: '10.77.1.1',
    dns: ['10.77.1.1'],
  },
  login: {
    authorizedKeys: [
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1oVv0Rj0t7wq1h2o2xjYf1m3x5n7r9dT0b0QmUo0aF alice@laptop',
    ],
    passwordHash:
      '$6$saltsalt$0123456789abcdefABCDEF./0123456789abcdefABCDEF./0123456789abcdefABCDEF./0123456789ab',
  },
  vncPassword: 'pw<&>"1',
};

/** A TCG host profile. */
export const testProfile: HostProfile = {
  accelerator: 'qemu',
  machine: 'q35',
  vncListen: 'socket',
  consoleLogDir: '/var/log/kumo',
  nestedFeature: 'vmx',
};
