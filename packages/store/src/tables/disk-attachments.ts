// disk_attachments: which disk is attached to which instance (device name, autoDelete, status),
// and the release of attachments whose instance is gone. No policy.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import type { DiskAttachmentRecord } from './disks.js';

type Row = Record<string, unknown>;
const toRecord = (r: Row): DiskAttachmentRecord => ({
  diskId: r.disk_id as string,
  instanceId: r.instance_id as string,
  deviceName: (r.device_name as string | null) ?? null,
  autoDelete: r.auto_delete as boolean,
  status: r.status as string,
  createdAt: r.created_at as Date,
});
const toRow = (p: { status?: string; deviceName?: string; autoDelete?: boolean }): Row => ({
  ...(p.status !== undefined ? { status: p.status } : {}),
  ...(p.deviceName !== undefined ? { device_name: p.deviceName } : {}),
  ...(p.autoDelete !== undefined ? { auto_delete: p.autoDelete } : {}),
});

/** Queries over disk attachments. */
export class DiskAttachmentsModel {
  constructor(private readonly db: Database) {}

  /** Attachments of an instance. */
  async attachmentsOf(instanceId: string, trx?: Transaction): Promise<DiskAttachmentRecord[]> {
    const rows = (await (trx ?? this.db)('disk_attachments')
      .where({ instance_id: instanceId })
      .orderBy('created_at')) as Row[];
    return rows.map((r) => toRecord(r));
  }

  /** Records an attachment (in the caller's transaction, with the disk's claim). */
  async insertAttachment(
    trx: Transaction,
    a: { diskId: string; instanceId: string; deviceName: string | null; autoDelete: boolean },
  ): Promise<void> {
    await trx('disk_attachments').insert({
      disk_id: a.diskId,
      instance_id: a.instanceId,
      device_name: a.deviceName,
      auto_delete: a.autoDelete,
      status: 'attaching',
    });
  }

  /** Updates an attachment's status, device name or autoDelete. */
  async updateAttachment(
    diskId: string,
    instanceId: string,
    patch: { status?: string; deviceName?: string; autoDelete?: boolean },
    trx?: Transaction,
  ): Promise<boolean> {
    return (
      (await (trx ?? this.db)('disk_attachments')
        .where({ disk_id: diskId, instance_id: instanceId })
        .update(toRow(patch))) > 0
    );
  }

  /** Removes an attachment (a finished detach). */
  async removeAttachment(diskId: string, instanceId: string): Promise<void> {
    await this.db('disk_attachments').where({ disk_id: diskId, instance_id: instanceId }).delete();
  }

  /**
   * Settles attachments whose instance is gone (deleteInstance removed its row): the disk is
   * detached (`available`), or, with autoDelete, queued for deletion unless it has snapshots.
   * One statement per disk, so a crash between them leaves the rest for the next sweep.
   */
  async releaseOrphanAttachments(): Promise<number> {
    type Orphan = { disk_id: string; instance_id: string; auto_delete: boolean };
    // A disk in the middle of a task (a data disk still being made for a spawn that a delete
    // ended) is settled once that task is done, from the status the task left.
    const orphans: Orphan[] = await this.db('disk_attachments as a')
      .leftJoin('instances as i', 'i.id', 'a.instance_id')
      .join('disks as d', 'd.id', 'a.disk_id')
      .whereNull('i.id')
      .whereNull('d.task')
      .select('a.disk_id', 'a.instance_id', 'a.auto_delete');
    for (const o of orphans) {
      await this.db.transaction(async (trx) => {
        await trx('disk_attachments').where({ disk_id: o.disk_id, instance_id: o.instance_id }).delete();
        const left = await trx('disk_attachments').where({ disk_id: o.disk_id }).first();
        const snaps = await trx('snapshots').where({ disk_id: o.disk_id }).first();
        const q = trx('disks').where({ id: o.disk_id }).whereNull('task');
        if (o.auto_delete && !left && !snaps)
          await q.update({ task: 'delete', status: 'deleting', task_owner: null, task_until: null });
        else if (!left) await q.update({ status: 'available' });
      });
    }
    return orphans.length;
  }
}
