// What a spawn needs of the storage plane: the cloud data disks createInstances wrote with the
// instance (disk rows with a `create` task, attachments `attaching`). The storage worker makes the
// volumes; the spawn waits for them, then puts them on the domain it defined before its first
// boot. Waits that run out throw HOST_UNAVAILABLE, so the task stays at its step and runs again.
// A cloud system disk (attached at the root device) is one of them; for it the tasks also get its
// device XML (the spawn defines the domain with it), its re-clone (rebuild), its export
// (createImage), and the fencing of its clients (evacuate).
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HypervisorError } from '@kumo/hypervisor';
import type { DiskAttachmentsModel, DiskRecord, DisksModel } from '@kumo/store';
import type { ImageOrigin } from '../drivers/storage-backend.js';
import type { StorageRegistry } from '../compute/storage-registry.js';
import { SYSTEM_DEVICE } from '../compute/disk-devices.js';
import type { TaskDisks } from './context.js';

export interface TaskDisksDeps {
  disks: DisksModel;
  attachments: DiskAttachmentsModel;
  storage: StorageRegistry;
  domainOf(instanceId: string): string;
  /** Wakes the storage worker. */
  kick(): void;
  /** The root file of an image, for a cloud system disk made from it. */
  imageOrigin(imageId: string): Promise<ImageOrigin>;
  /** Test hook (KUMO_TEST_CRASH_AT `disks:spawn-attach:after`): dies like `kill -9` once a disk joined the domain. */
  crashAt?: string | undefined;
}

const CREATE_WAIT_MS = 120_000;
const GiB = 2 ** 30;
/** Shared backends reach their volumes without a host. */
const NO_HOST = { id: '', uri: '' };
const POLL_MS = 200;

export function taskDisks(d: TaskDisksDeps): TaskDisks {
  const ofInstance = async (instanceId: string) => d.disks.attachedTo([instanceId]);
  const isRoot = (x: DiskRecord, instanceId: string) =>
    x.attachments.some((a) => a.instanceId === instanceId && a.deviceName === SYSTEM_DEVICE);
  // The cloud system disk: attached at the root device.
  const rootOf = async (instanceId: string) =>
    (await ofInstance(instanceId)).find((x) => isRoot(x, instanceId));
  const backendOf = async (disk: DiskRecord) => {
    const found = await d.storage.byId(disk.backendId);
    if (!found) throw new Error(`storage backend ${disk.backendId} of disk ${disk.id} is gone`);
    return found;
  };
  return {
    async dataDisks(instanceId) {
      const disks = await ofInstance(instanceId);
      return disks.map((x) => ({
        diskId: x.id,
        local: x.hostId !== null,
        failed: x.status === 'error_create',
        system: isRoot(x, instanceId),
      }));
    },

    async rootDiskXml(instanceId, hostId) {
      const root = await rootOf(instanceId);
      if (!root) return undefined;
      const found = await backendOf(root);
      if (hostId && !(await d.storage.host(found.rec, hostId)))
        throw new Error(`host ${hostId} is not in the storage backend of disk ${root.id}`);
      return found.backend.deviceXml(root.id, SYSTEM_DEVICE);
    },

    async reimageRoot(instanceId, imageId) {
      const root = await rootOf(instanceId);
      if (!root) return false;
      const found = await backendOf(root);
      // The instance is stopped: nothing has the disk open. A re-run after a crash makes it again.
      await found.backend.removeVolume(root.id, NO_HOST);
      await found.backend.ensureVolume(root.id, root.sizeGb * GiB, NO_HOST, {
        image: await d.imageOrigin(imageId),
      });
      return true;
    },

    async exportRoot(instanceId) {
      const root = await rootOf(instanceId);
      if (!root) return undefined;
      const found = await backendOf(root);
      const dir = await mkdtemp(join(tmpdir(), 'kumo-root-export-'));
      const drop = () => void rm(dir, { recursive: true, force: true }).catch(() => undefined);
      try {
        const stream = createReadStream(await found.backend.exportQcow2(root.id, dir));
        stream.once('close', drop);
        return stream;
      } catch (err) {
        drop();
        throw err;
      }
    },

    async fenceAll(instanceId) {
      const fenced: string[] = [];
      for (const disk of await ofInstance(instanceId)) {
        fenced.push(...(await (await backendOf(disk)).backend.fence(disk.id)));
      }
      return fenced;
    },

    async snapshotsReady(snapshotIds) {
      const deadline = Date.now() + CREATE_WAIT_MS;
      d.kick();
      for (;;) {
        const waiting: string[] = [];
        for (const id of snapshotIds) {
          const s = await d.disks.snapshotById(id);
          if (!s) throw new Error(`snapshot ${id} is gone`);
          if (s.status === 'error_create')
            throw new Error(`snapshot ${id} could not be made: ${s.errorReason ?? ''}`);
          if (s.status !== 'available') waiting.push(id);
        }
        if (waiting.length === 0) return;
        if (Date.now() > deadline)
          throw new HypervisorError('HOST_UNAVAILABLE', `snapshots ${waiting.join(', ')} not made yet`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },

    async created(instanceId) {
      const deadline = Date.now() + CREATE_WAIT_MS;
      d.kick();
      for (;;) {
        const disks = await ofInstance(instanceId);
        const failed = disks.find((x) => x.status === 'error_create');
        if (failed)
          throw new Error(`data disk ${failed.id} could not be created: ${failed.errorReason ?? ''}`);
        const waiting = disks.filter((x) => x.task === 'create');
        if (waiting.length === 0) return;
        if (Date.now() > deadline)
          throw new HypervisorError(
            'HOST_UNAVAILABLE',
            `data disks ${waiting.map((x) => x.id).join(', ')} not created yet`,
          );
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },

    async attachAll(instanceId, hostId) {
      for (const disk of await ofInstance(instanceId)) {
        // Attached ones too: a spawn that moved hosts needs them on its new domain.
        const mine = disk.attachments.find((a) => a.instanceId === instanceId);
        if (!mine || mine.status === 'detaching') continue;
        const found = await backendOf(disk);
        const host = await d.storage.host(found.rec, hostId);
        if (!host) throw new Error(`host ${hostId} is not in the storage backend of disk ${disk.id}`);
        // Idempotent by the disk's serial: a re-run finds it on the domain and keeps its target.
        const target = await found.backend.attach(
          disk.id,
          { host, domain: d.domainOf(instanceId) },
          mine.deviceName ?? undefined,
        );
        if (d.crashAt === 'disks:spawn-attach:after') process.kill(process.pid, 'SIGKILL');
        await d.attachments.updateAttachment(disk.id, instanceId, { status: 'attached', deviceName: target });
      }
    },
  };
}
