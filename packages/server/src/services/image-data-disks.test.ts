// Whole-machine image planning (pure: the disks model is faked): attached shared data disks are
// snapshotted at their devices, noDevice leaves one out, added entries take free devices, and a
// host-local disk, a taken device or a full snapshot quota refuse the request before any write.
import { describe, expect, test } from '@jest/globals';
import type { DiskRecord, DisksModel, SnapshotRecord } from '@kumo/store';
import { planImageDataDisks } from './image-data-disks.js';

const scope = { accountId: 'acc-1', regionId: 'local-1' };
const disk = (id: string, device: string, over: Partial<DiskRecord> = {}): DiskRecord =>
  ({
    id,
    backendId: 'sb-rbd',
    hostId: null,
    diskType: 'ssd',
    sizeGb: 20,
    task: null,
    attachments: [
      { diskId: id, instanceId: 'i-1', deviceName: device, autoDelete: false, status: 'attached' },
    ],
    ...over,
  }) as DiskRecord;
const snap = { id: 'snapshot-aaaaaaaaaa', status: 'available', hostId: null, sizeGb: 30 } as SnapshotRecord;

function fake(disks: DiskRecord[], snapshots = 0): DisksModel {
  return {
    attachedTo: async () => disks,
    findSnapshot: async (_s: unknown, id: string) => (id === snap.id ? snap : undefined),
    countSnapshots: async () => snapshots,
  } as unknown as DisksModel;
}
const plan = (disks: DiskRecord[], specs: object[] = [], used = 0, quota = 10) =>
  planImageDataDisks({ disks: fake(disks, used), snapshotQuota: quota }, scope, 'i-1', specs);

describe('whole-machine image data disks', () => {
  test('attached shared data disks are snapshotted at their devices; the root is not', async () => {
    const p = await plan([disk('disk-root', 'vda'), disk('disk-d', 'vdd'), disk('disk-c', 'vdc')]);
    expect(p.snapshots.map((s) => [s.diskId, s.deviceName])).toEqual([
      ['disk-d', 'vdd'],
      ['disk-c', 'vdc'],
    ]);
    expect(p.dataDisks).toEqual([
      {
        deviceName: 'vdc',
        diskType: 'ssd',
        diskSizeGB: 20,
        snapshotId: p.snapshots[1]!.id,
        autoDelete: false,
      },
      {
        deviceName: 'vdd',
        diskType: 'ssd',
        diskSizeGB: 20,
        snapshotId: p.snapshots[0]!.id,
        autoDelete: false,
      },
    ]);
  });

  test('noDevice leaves a disk out; added entries take the next free devices', async () => {
    const p = await plan(
      [disk('disk-c', 'vdc'), disk('disk-d', 'vdd')],
      [
        { deviceName: 'vdc', noDevice: true },
        { cloudDiskSpec: { diskType: 'premium-hdd', diskSizeGB: 30, snapshotId: snap.id } },
        { diskCategory: 'cloud', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 40 }, autoDelete: false },
      ],
    );
    expect(p.snapshots.map((s) => s.diskId)).toEqual(['disk-d']);
    expect(p.dataDisks.map((x) => [x.deviceName, x.snapshotId ?? 'empty', x.diskSizeGB])).toEqual([
      ['vdc', snap.id, 30],
      ['vdd', p.snapshots[0]!.id, 20],
      ['vde', 'empty', 40],
    ]);
  });

  test('refusals say why, before anything is written', async () => {
    await expect(plan([disk('disk-l', 'vdc', { hostId: 'host-1' })])).rejects.toMatchObject({
      message: expect.stringContaining("leave it out with {deviceName: 'vdc', noDevice: true}"),
    });
    await expect(
      plan(
        [disk('disk-c', 'vdc')],
        [{ deviceName: 'vdc', cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20 } }],
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('vdc is taken') });
    await expect(
      plan([], [{ cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20, snapshotId: snap.id } }]),
    ).rejects.toMatchObject({ message: expect.stringContaining("at least the snapshot's 30 GB") });
    await expect(
      plan([], [{ cloudDiskSpec: { diskType: 'ssd', diskSizeGB: 20, snapshotId: 'snapshot-zz' } }]),
    ).rejects.toMatchObject({
      code: 404,
    });
    await expect(plan([disk('disk-c', 'vdc')], [], 10, 10)).rejects.toMatchObject({
      message: 'Snapshot quota limit exceeded',
    });
    await expect(plan([disk('disk-c', 'vdc', { task: 'extend' })])).rejects.toMatchObject({
      message: expect.stringContaining('extend'),
    });
  });
});
