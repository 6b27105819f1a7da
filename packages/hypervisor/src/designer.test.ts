// Unit tests of the designer's decisions beyond the golden XML: the host profile, resize, rebuild,
// the root overlay and a subnet's libvirt network, each checked on the config it returns.
import { describe, expect, it } from '@jest/globals';
import {
  checkRootDisk,
  designDomain,
  designNetwork,
  designProbeDomain,
  designProfile,
  designRebuild,
  designResize,
  designRootVolume,
  rebuildIdentity,
  rebuildRootBytes,
  type DomainNames,
  type DomainPaths,
} from './designer.js';
import { isHypervisorError } from './errors.js';
import { domainFromXml, domainToXml } from './xml/domain.js';
import type { InstanceSpec } from './spec.js';
import { testProfile, testSpec } from './testing.js';

const names: DomainNames = {
  domain: 'kumo-i-0abc123',
  network: 'subnet-1',
  libvirtNetwork: 'kumo-net-subnet-1',
  rootVolume: 'kumo-i-0abc123-root.qcow2',
  seedVolume: 'kumo-i-0abc123-seed.iso',
};
const paths: DomainPaths = {
  rootDisk: '/pool/kumo-i-0abc123-root.qcow2',
  seed: '/pool/kumo-i-0abc123-seed.iso',
  kernel: '/pool/img.kernel',
  initrd: '/pool/img.initrd',
};
const created = designDomain(testSpec, testProfile, names, paths);

/** The error `fn` throws, for asserting its code. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('designProfile', () => {
  it('defaults to q35, VNC on a unix socket and libvirt’s console log directory', () => {
    expect(designProfile('kvm', '<capabilities/>')).toEqual({
      accelerator: 'kvm',
      machine: 'q35',
      vncListen: 'socket',
      consoleLogDir: '/var/log/libvirt/qemu',
      nestedFeature: 'vmx',
    });
  });

  it('takes the nested extension from the CPU vendor and keeps operator settings', () => {
    const caps =
      '<capabilities><host><cpu><arch>x86_64</arch><vendor>AMD</vendor></cpu></host></capabilities>';
    const p = designProfile('qemu', caps, { machine: 'pc', vncListen: '10.0.0.5', consoleLogDir: '/log' });
    expect(p).toEqual({
      accelerator: 'qemu',
      machine: 'pc',
      vncListen: '10.0.0.5',
      consoleLogDir: '/log',
      nestedFeature: 'svm',
    });
  });
});

describe('designDomain', () => {
  it('plugs the NIC into the libvirt network and records the Kumo network in the metadata', () => {
    expect(created.interfaces).toEqual([
      { kind: 'network', source: 'kumo-net-subnet-1', mac: testSpec.nic.mac, model: 'virtio' },
    ]);
    expect(created.metadata?.network).toBe('subnet-1');
  });

  it('plugs an OVN NIC into the integration bridge as its logical port, with no libvirt network', () => {
    const ovn = { bridge: 'br-int', interfaceId: '3f2a1c4e-9b7d-4e21-8a6f-0c5d2e1b7a90' };
    const d = designDomain({ ...testSpec, nic: { ...testSpec.nic, ovn } }, testProfile, names, paths);
    expect(d.interfaces).toEqual([
      {
        kind: 'bridge',
        source: 'br-int',
        mac: testSpec.nic.mac,
        model: 'virtio',
        openvswitchInterfaceId: ovn.interfaceId,
        noOffloads: true,
      },
    ]);
    const xml = domainToXml(d);
    expect(xml.replace(/\s+</g, '<')).toContain(
      `<virtualport type="openvswitch"><parameters interfaceid="${ovn.interfaceId}"/></virtualport>`,
    );
    expect(domainFromXml(xml).interfaces).toEqual(d.interfaces);
  });

  it('refuses an OVN interface id that is not a UUID (it reaches ovs-vsctl)', () => {
    const ovn = { bridge: 'br-int', interfaceId: 'x" -- destroy Bridge br-int' };
    expect(
      thrown(() => designDomain({ ...testSpec, nic: { ...testSpec.nic, ovn } }, testProfile, names, paths)),
    ).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses direct boot without a kernel', () => {
    const { kernel: _k, ...noKernel } = paths;
    expect(thrown(() => designDomain(testSpec, testProfile, names, noKernel))).toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });
});

describe('designResize', () => {
  it('changes vCPUs, memory and the CPU element only, without touching its input', () => {
    const before = structuredClone(created);
    const kvm = { ...testProfile, accelerator: 'kvm' as const };
    const next = designResize(created, kvm, { vcpus: 8, memoryMiB: 3072, nested: true });
    expect(created).toEqual(before);
    expect(next.vcpus).toBe(8);
    expect(next.memoryKiB).toBe(3072 * 1024);
    expect(next.cpu).toEqual({ mode: 'host-passthrough', features: [{ policy: 'require', name: 'vmx' }] });
    const { vcpus: _v, memoryKiB: _m, cpu: _c, ...rest } = next;
    const { vcpus: _v0, memoryKiB: _m0, cpu: _c0, ...restBefore } = created;
    expect(rest).toEqual(restBefore);
  });

  it('drops the CPU element when a TCG guest stops being nested', () => {
    const nested = designResize(created, testProfile, { vcpus: 2, memoryMiB: 1024, nested: true });
    expect(nested.cpu).toEqual({
      mode: 'custom',
      model: 'qemu64',
      features: [{ policy: 'require', name: 'svm' }],
    });
    expect(designResize(nested, testProfile, { vcpus: 2, memoryMiB: 1024 }).cpu).toBeUndefined();
  });
});

describe('designRebuild', () => {
  const firmware: InstanceSpec = {
    ...testSpec,
    image: { ...testSpec.image, name: 'other', boot: { mode: 'firmware' } },
  };
  const volumes = { rootVolume: 'kumo-i-0abc123-root-g2.qcow2', seedVolume: 'kumo-i-0abc123-seed-g2.iso' };
  const newPaths = { rootDisk: '/pool/root-g2', seed: '/pool/seed-g2' };

  it('points the disks at the new volumes, switches the boot block and keeps the rest', () => {
    const before = structuredClone(created);
    const next = designRebuild(created, firmware, volumes, newPaths);
    expect(created).toEqual(before);
    expect(next.disks.map((d) => [d.target, d.path])).toEqual([
      ['vda', '/pool/root-g2'],
      ['vdb', '/pool/seed-g2'],
    ]);
    expect(next.os).toEqual({ arch: 'x86_64', machine: 'q35', bootDevices: ['hd'] });
    expect(next.metadata).toEqual({ ...created.metadata, image: 'other', ...volumes });
    expect(next.name).toBe(created.name);
    expect(next.interfaces).toEqual(created.interfaces);
    expect(next.vcpus).toBe(created.vcpus);
  });

  it('keeps the machine type the instance was created with', () => {
    const old = { ...created, os: { ...created.os, machine: 'pc-q35-7.2' } };
    const next = designRebuild(old, testSpec, volumes, { ...newPaths, kernel: '/k2' });
    expect(next.os).toEqual({
      arch: 'x86_64',
      machine: 'pc-q35-7.2',
      kernel: '/k2',
      cmdline: 'root=LABEL=rootfs rw console=ttyS0 net.ifnames=0',
      bootDevices: [],
    });
  });

  it('refuses to change the network identity or to rebuild a domain Kumo did not define', () => {
    const otherMac = { ...testSpec, nic: { ...testSpec.nic, mac: '52:54:00:00:00:01' } };
    const otherIp = { ...testSpec, nic: { ...testSpec.nic, ip: '10.77.1.99' } };
    // A new subnet with the same MAC and address (an instance of the NAT era moved onto the plane)
    // is recorded.
    const otherNet = { ...testSpec, nic: { ...testSpec.nic, network: 'subnet-2' } };
    expect(designRebuild(created, otherNet, volumes, { ...newPaths, kernel: '/k2' }).metadata?.network).toBe(
      'subnet-2',
    );
    for (const spec of [otherMac, otherIp])
      expect(thrown(() => designRebuild(created, spec, volumes, newPaths))).toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    const { metadata: _m, ...foreign } = created;
    expect(thrown(() => rebuildIdentity(foreign, testSpec))).toMatchObject({ code: 'INVALID_STATE' });
    expect(rebuildIdentity(created, testSpec)).toEqual(created.metadata);
  });

  it('refuses a domain without its root and seed disks', () => {
    const diskless = { ...created, disks: created.disks.filter((d) => d.target !== 'vdb') };
    const err = thrown(() => designRebuild(diskless, firmware, volumes, newPaths));
    expect(isHypervisorError(err, 'INVALID_STATE')).toBe(true);
  });

  it('keeps the current root size, falling back to the spec when the old volume is gone', () => {
    expect(rebuildRootBytes(20 * 2 ** 30, testSpec)).toBe(20 * 2 ** 30);
    expect(rebuildRootBytes(undefined, testSpec)).toBe(testSpec.rootDiskBytes);
  });
});

describe('volumes and checks', () => {
  it('makes the root disk a thin qcow2 overlay on the base', () => {
    expect(designRootVolume('r.qcow2', '/pool/base', 5)).toEqual({
      name: 'r.qcow2',
      capacityBytes: 5,
      format: 'qcow2',
      backing: { path: '/pool/base', format: 'qcow2' },
    });
  });

  it('refuses a root disk smaller than the image needs, and accepts exactly its minimum', () => {
    const min = testSpec.image.minDiskBytes;
    expect(thrown(() => checkRootDisk({ ...testSpec, rootDiskBytes: min - 1 }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      step: 'validate',
    });
    expect(() => checkRootDisk({ ...testSpec, rootDiskBytes: min })).not.toThrow();
  });
});

describe('designNetwork', () => {
  const n = { network: 'kumo-net-subnet-1', bridge: 'kv0123456789ab' };

  it('gives a NAT subnet its own bridge, gateway and DHCP range', () => {
    const spec = {
      name: 'subnet-1',
      mode: 'nat' as const,
      gateway: '10.77.1.1',
      prefix: 24,
      dhcpRange: { start: '10.77.1.200', end: '10.77.1.250' },
    };
    expect(designNetwork(spec, n)).toEqual({
      name: 'kumo-net-subnet-1',
      forward: 'nat',
      bridge: 'kv0123456789ab',
      ip: { address: '10.77.1.1', prefix: 24, hosts: [], dhcpRange: spec.dhcpRange },
    });
  });

  it('forwards a bridged subnet to the host bridge without addressing of its own', () => {
    expect(designNetwork({ name: 'b', mode: 'bridge', hostBridge: 'br0' }, n)).toEqual({
      name: 'kumo-net-subnet-1',
      forward: 'bridge',
      bridge: 'br0',
    });
  });

  it('refuses incomplete specs', () => {
    expect(thrown(() => designNetwork({ name: 'b', mode: 'bridge' }, n))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(thrown(() => designNetwork({ name: 'x', mode: 'nat', gateway: '10.0.0.1' }, n))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('designProbeDomain', () => {
  it('is a minimal legacy-BIOS guest that ends, rather than restarts, on its deliberate reset', () => {
    const d = designProbeDomain('kvm', 'kumo-kvm-probe', '/pool/kumo-kvm-probe.raw');
    expect(d).toMatchObject({ type: 'kvm', name: 'kumo-kvm-probe', memoryKiB: 32768, vcpus: 1 });
    expect(d.os).toEqual({ arch: 'x86_64', machine: 'pc', bootDevices: ['hd'] });
    expect([d.onPoweroff, d.onReboot, d.onCrash]).toEqual(['destroy', 'destroy', 'destroy']);
    expect(d.disks).toEqual([
      {
        path: '/pool/kumo-kvm-probe.raw',
        format: 'raw',
        target: 'hda',
        bus: 'ide',
        device: 'disk',
        readOnly: false,
      },
    ]);
    expect([d.interfaces, d.serials, d.graphics]).toEqual([[], [], []]);
    expect(domainToXml(d)).toContain('<on_reboot>destroy</on_reboot>');
  });
});
