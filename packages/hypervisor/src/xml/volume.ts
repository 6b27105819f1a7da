// Object model of the libvirt storage volume and dir-pool XML Kumo creates; conversion only.
import { el, toXmlString } from './tree.js';

/** A volume to create: a plain file, or a qcow2 overlay on a backing file. */
export interface VolumeConfig {
  name: string;
  capacityBytes: number;
  format: 'raw' | 'qcow2';
  backing?: { path: string; format: 'raw' | 'qcow2' };
}

/** Renders a volume definition for storageVolCreateXml. */
export function volumeToXml(v: VolumeConfig): string {
  return toXmlString(
    el('volume', {}, [
      el('name', {}, [], v.name),
      el('capacity', { unit: 'bytes' }, [], v.capacityBytes),
      el('allocation', { unit: 'bytes' }, [], 0),
      el('target', {}, [
        el('format', { type: v.format }),
        el('permissions', {}, [el('mode', {}, [], '0644')]),
      ]),
      v.backing &&
        el('backingStore', {}, [
          el('path', {}, [], v.backing.path),
          el('format', { type: v.backing.format }),
        ]),
    ]),
  );
}

/** A directory storage pool. */
export interface DirPoolConfig {
  name: string;
  path: string;
}

/** Renders a directory pool definition. */
export function dirPoolToXml(p: DirPoolConfig): string {
  return toXmlString(
    el('pool', { type: 'dir' }, [el('name', {}, [], p.name), el('target', {}, [el('path', {}, [], p.path)])]),
  );
}
