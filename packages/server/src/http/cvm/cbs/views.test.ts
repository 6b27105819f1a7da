// A Kumo disk and snapshot in CBS's shapes: Tencent's types, states (an attachment in flight
// first), ids and timestamps.
import type { DiskRecord, SnapshotRecord } from '@kumo/store';
import { diskView, snapshotView } from './views.js';

const at = new Date('2026-01-02T03:04:05.678Z');
const disk = (over: Partial<DiskRecord>): DiskRecord => ({
  id: 'vol-abcde12345',
  accountId: 'a',
  regionId: 'local-1',
  az: 'local-1a',
  backendId: 'b',
  hostId: null,
  name: 'data',
  description: '',
  diskType: 'ssd',
  sizeGb: 40,
  status: 'available',
  snapshotId: null,
  multiAttachable: false,
  clientToken: null,
  attachments: [],
  task: null,
  taskArgs: null,
  errorReason: null,
  createdAt: at,
  ...over,
});

test('a free disk is UNATTACHED, with its Tencent id, type, zone and time', () => {
  expect(diskView(disk({}))).toMatchObject({
    DiskId: 'disk-abcde12345',
    DiskType: 'CLOUD_SSD',
    DiskState: 'UNATTACHED',
    DiskSize: 40,
    Placement: { Zone: 'local-1a' },
    Attached: false,
    InstanceId: '',
    CreateTime: '2026-01-02 03:04:05',
  });
});

test('an attached disk names its instance; one attaching is ATTACHING whatever its status', () => {
  const attachment = {
    diskId: 'vol-abcde12345',
    instanceId: 'i-abcdef012345',
    deviceName: 'vdb',
    autoDelete: true,
    createdAt: at,
  };
  const attached = diskView(disk({ status: 'in-use', attachments: [{ ...attachment, status: 'attached' }] }));
  expect(attached).toMatchObject({
    DiskState: 'ATTACHED',
    InstanceId: 'ins-abcdef012345',
    DeleteWithInstance: true,
  });
  expect(diskView(disk({ attachments: [{ ...attachment, status: 'attaching' }] })).DiskState).toBe(
    'ATTACHING',
  );
  expect(diskView(disk({ status: 'extending', diskType: 'hdd.std1' }))).toMatchObject({
    DiskState: 'EXPANDING',
    DiskType: 'CLOUD_BASIC',
  });
});

test('a snapshot shows its disk and state', () => {
  const s: SnapshotRecord = {
    id: 'snapshot-abcde12345',
    accountId: 'a',
    regionId: 'local-1',
    diskId: 'vol-abcde12345',
    backendId: 'b',
    hostId: null,
    name: 'nightly',
    description: '',
    sizeGb: 40,
    status: 'available',
    clientToken: null,
    task: null,
    taskArgs: null,
    errorReason: null,
    createdAt: at,
  };
  expect(snapshotView(s, 'local-1a')).toMatchObject({
    SnapshotId: 'snap-abcde12345',
    DiskId: 'disk-abcde12345',
    SnapshotState: 'NORMAL',
    Percent: 100,
    Placement: { Zone: 'local-1a' },
  });
});
