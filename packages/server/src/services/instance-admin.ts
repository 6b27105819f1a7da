// The operator's tools for instances a dead host holds: force-delete (the inventory forgets the
// instance now; the host's reconciler sweep removes its domain and volumes when it answers again,
// since no row owns them any more) and reset-state (Nova's reset-state: a stuck task is dropped).
import { Errors, ID_PATTERNS } from '@kumo/contract';
import type { InstanceAdminModel, ResettableStatus } from '@kumo/store';
import type { Logger } from '../logger.js';

/** Admin operations on any account's instances. */
export class InstanceAdminService {
  constructor(
    private readonly admin: InstanceAdminModel,
    private readonly log: Logger,
  ) {}

  /** Removes the instance from the inventory at once, its capacity claim and quota with it. */
  async forceDelete(id: string, requestedBy: string): Promise<void> {
    const r = ID_PATTERNS.instance.test(id) ? await this.admin.forceDelete(id) : undefined;
    if (!r) throw Errors.instanceNotFound(id.slice(0, 64));
    // The action log goes with the row; the daemon log keeps who did it and what is left to clean.
    this.log.warn(
      { instanceId: id, hostId: r.hostId, requestedBy },
      'instance force-deleted; its host is cleaned by the reconciler when it answers',
    );
  }

  /** Sets the status and drops any task in flight. */
  async resetState(id: string, status: ResettableStatus, requestedBy: string): Promise<void> {
    if (!ID_PATTERNS.instance.test(id) || !(await this.admin.resetState(id, status)))
      throw Errors.instanceNotFound(id.slice(0, 64));
    this.log.warn({ instanceId: id, status, requestedBy }, 'instance state reset by the admin');
  }
}
