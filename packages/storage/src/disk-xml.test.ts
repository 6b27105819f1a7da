import { describe, expect, it } from '@jest/globals';
import { chooseTarget, diskDeviceXml, domainDisks } from './disk-xml.js';

describe('disk XML', () => {
  it('writes a file disk with the disk id as serial', () => {
    expect(
      diskDeviceXml({
        serial: 'vol-abc123',
        target: 'vdb',
        source: { kind: 'file', path: '/var/lib/kumo/disks/vol-abc123.qcow2', format: 'qcow2' },
      }),
    ).toBe(
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none' discard='unmap'/>" +
        "<source file='/var/lib/kumo/disks/vol-abc123.qcow2'/><target dev='vdb' bus='virtio'/>" +
        '<serial>vol-abc123</serial></disk>',
    );
  });

  it('writes an rbd disk with its monitors and cephx secret', () => {
    const xml = diskDeviceXml({
      serial: 'vol-1',
      target: 'vdc',
      source: {
        kind: 'rbd',
        image: 'kumo/vol-1',
        monitors: [{ host: '127.0.0.1', port: 3300 }],
        user: 'kumo',
        secretUsage: 'kumo-stor-1',
      },
    });
    expect(xml).toContain("<auth username='kumo'><secret type='ceph' usage='kumo-stor-1'/></auth>");
    expect(xml).toContain(
      "<source protocol='rbd' name='kumo/vol-1'><host name='127.0.0.1' port='3300'/></source>",
    );
  });

  it('refuses values that would break the XML', () => {
    expect(() =>
      diskDeviceXml({
        serial: "x'/><evil",
        target: 'vdb',
        source: { kind: 'file', path: '/a', format: 'raw' },
      }),
    ).toThrow(/serial/);
  });

  it('reads targets and serials back from a domain', () => {
    const dom = `<domain><devices>
      <disk type='file' device='disk'><source file='/r.qcow2'/><target dev='vda' bus='virtio'/></disk>
      <disk type='file' device='cdrom'><source file='/seed.iso'/><target dev='sda' bus='sata'/></disk>
      <disk type='network' device='disk'><source protocol='rbd' name='p/vol-2'/><target dev="vdc" bus="virtio"/><serial>vol-2</serial></disk>
    </devices></domain>`;
    expect(domainDisks(dom).map(({ target, serial }) => ({ target, serial }))).toEqual([
      { target: 'vda', serial: undefined },
      { target: 'sda', serial: undefined },
      { target: 'vdc', serial: 'vol-2' },
    ]);
  });

  it('chooses the next free target or honours a free wanted one', () => {
    expect(chooseTarget(['vda', 'sda'])).toBe('vdb');
    expect(chooseTarget(['vda', 'vdb', 'vdd'])).toBe('vdc');
    expect(chooseTarget(['vda'], 'vdf')).toBe('vdf');
    expect(() => chooseTarget(['vda', 'vdb'], 'vdb')).toThrow(/in use/);
    // vda is taken by a host's root overlay, and free for a cloud root on a domain without one.
    expect(() => chooseTarget(['vda'], 'vda')).toThrow(/in use/);
    expect(chooseTarget(['vdb'], 'vda')).toBe('vda');
    expect(() => chooseTarget([], 'sda')).toThrow(/vda…vdz/);
  });
});
