// Unit tests of the domain XML model: round trips, escaping, and reading libvirt's own output.
import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { designDomain } from '../designer.js';
import { testProfile, testSpec } from '../testing.js';
import { domainFromXml, domainToXml } from './domain.js';
import { parseXml } from './tree.js';

const names = {
  domain: 'kumo-x',
  network: 'n',
  libvirtNetwork: 'kumo-net-n',
  rootVolume: 'r',
  seedVolume: 's',
};
const paths = { rootDisk: '/p/r', seed: '/p/s', kernel: '/p/k', initrd: '/p/i' };

test('toXml → fromXml is the identity on designed domains', () => {
  const d = designDomain(testSpec, testProfile, names, paths);
  expect(domainFromXml(domainToXml(d))).toEqual(d);
  const nested = designDomain(
    { ...testSpec, type: { vcpus: 1, memoryMiB: 512, nested: true } },
    testProfile,
    names,
    paths,
  );
  expect(domainFromXml(domainToXml(nested))).toEqual(nested);
});

test('any text in names, paths and passwords is escaped and survives a round trip', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.string({ maxLength: 8 }), (title, path, pw) => {
      // XML 1.0 cannot carry most control characters at all; Kumo never produces them.
      // eslint-disable-next-line no-control-regex -- the point is to exclude control characters
      fc.pre(!/[\u0000-\u001f\ud800-\udfff\ufffe\uffff]/.test(title + path + pw));
      fc.pre(title.trim() === title && title !== '' && path !== '');
      // An address listener: that is where a VNC password applies.
      const d = designDomain(
        { ...testSpec, vncPassword: pw },
        { ...testProfile, vncListen: '10.0.0.5' },
        names,
        {
          ...paths,
          rootDisk: path,
        },
      );
      d.title = title;
      const back = domainFromXml(domainToXml(d));
      expect(back.title).toBe(title);
      expect(back.disks[0]?.path).toBe(path);
      expect(back.graphics[0]?.password).toBe(pw);
    }),
  );
});

test('a VNC socket listener survives a round trip, with the path libvirt chose', () => {
  const d = designDomain(testSpec, testProfile, names, paths);
  expect(d.graphics).toEqual([{ kind: 'vnc', listen: 'socket', port: 'auto' }]);
  const live = domainToXml(d).replace(
    '<listen type="socket"/>',
    '<listen type="socket" socket="/var/lib/libvirt/qemu/domain-3-kumo-i-1/vnc.sock"/>',
  );
  const back = domainFromXml(live);
  expect(back.graphics[0]).toEqual({
    kind: 'vnc',
    listen: 'socket',
    port: 'auto',
    socket: '/var/lib/libvirt/qemu/domain-3-kumo-i-1/vnc.sock',
  });
  expect(back.video).toBe('vga');
});

test('an address listener’s live definition tells the port libvirt chose', () => {
  const live = domainToXml(
    designDomain(testSpec, { ...testProfile, vncListen: '10.99.3.2' }, names, paths),
  ).replace('port="-1"', 'port="5901"');
  expect(domainFromXml(live).graphics[0]).toMatchObject({
    listen: '10.99.3.2',
    port: 'auto',
    boundPort: 5901,
  });
});

test('a hostile title cannot add elements', () => {
  const d = designDomain(testSpec, testProfile, names, paths);
  d.title = '</title><on_crash>preserve</on_crash><title>';
  const xml = domainToXml(d);
  expect(parseXml(xml).children.filter((c) => c.name === 'on_crash')).toHaveLength(1);
  expect(domainFromXml(xml).onCrash).toBe('destroy');
});

test('reads what libvirt writes back (extra elements, single quotes, units, prefixes)', () => {
  const xml = `<domain type='qemu' id='3'>
  <name>kumo-i-1</name>
  <uuid>0e0c8a5e-7f60-4f9a-9d0b-6f2c3e1d2a11</uuid>
  <metadata>
    <k:instance xmlns:k="https://kumo.dev/xmlns/instance/1">
      <k:id>i-1</k:id><k:image>tiny</k:image><k:network>n1</k:network><k:mac>52:54:00:00:00:01</k:mac>
      <k:ip>10.0.0.5</k:ip><k:root-volume>r.qcow2</k:root-volume><k:seed-volume>s.iso</k:seed-volume>
    </k:instance>
  </metadata>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <resource><partition>/machine</partition></resource>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <kernel>/pool/k</kernel>
    <cmdline>console=ttyS0 a=&quot;b&quot;</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/pool/r.qcow2' index='2'/>
      <backingStore type='file' index='3'><format type='qcow2'/><source file='/pool/base'/></backingStore>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
    </disk>
    <controller type='usb' index='0' model='qemu-xhci'/>
    <interface type='network'>
      <mac address='52:54:00:00:00:01'/>
      <source network='kumo-net-n1' portid='x' bridge='kv1'/>
      <target dev='vnet3'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'>
      <source path='/dev/pts/4'/>
      <log file='/var/log/c.log' append='on'/>
      <target type='isa-serial' port='0'><model name='isa-serial'/></target>
    </serial>
    <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>
    <memballoon model='none'/>
  </devices>
  <seclabel type='dynamic' model='dac' relabel='yes'/>
</domain>`;
  const d = domainFromXml(xml);
  expect(d.metadata?.instanceId).toBe('i-1');
  expect(d.metadata?.rootVolume).toBe('r.qcow2');
  expect(d.memoryKiB).toBe(524288);
  expect(d.vcpus).toBe(2);
  expect(d.os.cmdline).toBe('console=ttyS0 a="b"');
  expect(d.disks).toEqual([
    { path: '/pool/r.qcow2', format: 'qcow2', target: 'vda', bus: 'virtio', device: 'disk', readOnly: false },
  ]);
  expect(d.interfaces[0]).toEqual({
    kind: 'network',
    source: 'kumo-net-n1',
    mac: '52:54:00:00:00:01',
    model: 'virtio',
  });
  expect(d.serials[0]).toEqual({ kind: 'pty', logFile: '/var/log/c.log' });
  expect(d.graphics[0]?.port).toBe('auto');
});

test('a network disk the storage plane attached survives a read and a rewrite (a resize redefines the domain)', () => {
  const rbd =
    `<disk type='network' device='disk'><driver name='qemu' type='raw' cache='none' discard='unmap'/>` +
    `<auth username='kumo'><secret type='ceph' usage='kumo-rbd'/></auth>` +
    `<source protocol='rbd' name='kumo/vol-1'><host name='10.0.0.1' port='3300'/></source>` +
    `<target dev='vda' bus='virtio'/><serial>vol-1</serial></disk>`;
  const designed = domainToXml(designDomain(testSpec, testProfile, names, paths));
  const withRbd = designed.replace('</devices>', `${rbd}</devices>`);
  const again = domainFromXml(domainToXml(domainFromXml(withRbd)));
  const disk = again.disks.find((x) => x.serial === 'vol-1');
  expect(disk?.raw).toBeDefined();
  const xml = domainToXml(again);
  expect(xml).toContain(`<source protocol="rbd" name="kumo/vol-1">`);
  expect(xml).toContain(`<secret type="ceph" usage="kumo-rbd"/>`);
  expect(xml).toContain(`<host name="10.0.0.1" port="3300"/>`);
  expect(xml).not.toMatch(/<source file=""/);
});
