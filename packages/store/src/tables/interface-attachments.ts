// Attaching network interfaces to instances and detaching them: the service writes the task on
// the interface's row (with the instance and device slot it goes to), a worker leases rows with a
// task (kumods sharing a database split the work; a killed kumod's leases lapse), plugs or unplugs
// the NIC on the instance's host and ends the task. Every end is fenced on the lease, so a worker
// that lost it changes nothing; a failed attach leaves the interface detached, a failed detach
// leaves it attached, each with the reason.
import type { Database } from '../db.js';
import type { Transaction } from '../locks.js';
import { NETWORK_INTERFACES } from './network-interfaces.js';

/** The writes of the attach/detach protocol. */
export class InterfaceAttachmentsModel {
  constructor(private readonly db: Database) {}

  /** The lowest free device slot of an instance (0 is the primary's). */
  async freeSlot(trx: Transaction, instanceId: string): Promise<number> {
    const used = new Set(
      (await trx(NETWORK_INTERFACES)
        .where({ instance_id: instanceId, deleting: false })
        .pluck('device_index')) as number[],
    );
    let slot = 1;
    while (used.has(slot)) slot++;
    return slot;
  }

  /** How many live interfaces an instance holds (the primary included). */
  async countOf(trx: Transaction, instanceId: string): Promise<number> {
    const [{ n }] = (await trx(NETWORK_INTERFACES)
      .where({ instance_id: instanceId, deleting: false })
      .count({ n: '*' })) as [{ n: string }];
    return Number(n);
  }

  /** Marks a detached interface as attaching to `instanceId` at `slot`; false when it is not detached. */
  async beginAttach(
    trx: Transaction,
    id: string,
    to: { instanceId: string; slot: number; autoDelete: boolean },
  ): Promise<boolean> {
    const n = await trx(NETWORK_INTERFACES)
      .where({ id, deleting: false, instance_id: null, attach_task: null })
      .update({
        instance_id: to.instanceId,
        device_index: to.slot,
        auto_delete: to.autoDelete,
        attach_task: 'attach',
        attach_owner: null,
        attach_until: null,
        attach_error: null,
        // The port is bound to the instance's host from now on: the plane must see it.
        generation: trx.raw('generation + 1'),
      });
    return n > 0;
  }

  /** Marks an attached interface of `instanceId` as detaching; false when it is not attached there. */
  async beginDetach(trx: Transaction, id: string, instanceId: string): Promise<boolean> {
    const n = await trx(NETWORK_INTERFACES)
      .where({ id, deleting: false, instance_id: instanceId, attach_task: null })
      .update({ attach_task: 'detach', attach_owner: null, attach_until: null, attach_error: null });
    return n > 0;
  }

  /** Sets autoDelete of an attached secondary interface of `instanceId`; false when there is none. */
  async setAutoDelete(
    trx: Transaction,
    id: string,
    instanceId: string,
    autoDelete: boolean,
  ): Promise<boolean> {
    const n = await trx(NETWORK_INTERFACES)
      .where({ id, deleting: false, instance_id: instanceId, role: 'Secondary' })
      .update({ auto_delete: autoDelete });
    return n > 0;
  }

  /** Rows with a task whose lease is free or lapsed, now leased to `owner`. */
  async claimWork(owner: string, leaseSeconds: number, limit: number): Promise<string[]> {
    const r = await this.db.raw<{ rows: { id: string }[] }>(
      `UPDATE network_interfaces SET attach_owner = ?, attach_until = now() + make_interval(secs => ?)
        WHERE id IN (SELECT id FROM network_interfaces
                      WHERE attach_task IS NOT NULL AND (attach_owner IS NULL OR attach_until < now())
                      ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [owner, leaseSeconds, limit],
    );
    return r.rows.map((x) => x.id);
  }

  /** Extends `owner`'s lease; false when it lost it. */
  async renew(id: string, owner: string, leaseSeconds: number): Promise<boolean> {
    const n = await this.db(NETWORK_INTERFACES)
      .where({ id, attach_owner: owner })
      .update({ attach_until: this.db.raw('now() + make_interval(secs => ?)', [leaseSeconds]) });
    return n > 0;
  }

  /**
   * Ends the task under `owner`'s lease. `attached` is where the interface ends up: still on its
   * instance (an attach done, a detach failed) or detached (a detach done, an attach failed).
   */
  async finish(id: string, owner: string, attached: boolean, error: string | null): Promise<boolean> {
    const n = await this.db(NETWORK_INTERFACES)
      .where({ id, attach_owner: owner })
      .whereNotNull('attach_task')
      .update({
        attach_task: null,
        attach_owner: null,
        attach_until: null,
        attach_error: error,
        ...(attached
          ? {}
          : {
              instance_id: null,
              device_index: null,
              auto_delete: false,
              generation: this.db.raw('generation + 1'),
            }),
      });
    return n > 0;
  }
}
