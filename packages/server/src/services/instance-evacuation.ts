// Admin evacuate (Nova's evacuate): an instance of a host that is down or cut off comes up on
// another host of its AZ from its disks. Only an instance whose every disk is shared can: its
// root a cloud system disk on rbd and its data disks on rbd (a local disk is on the dead host).
// While the host is up it is refused — its guest may be fine, and the instance's own stop/start
// or the host's drain is the tool then. The task (jobs/tasks/evacuateInstance.ts) fences the old
// guest off its disks before anything opens them elsewhere.
import { Errors, ID_PATTERNS } from '@kumo/contract';
import type {
  DisksModel,
  HostsModel,
  InstanceActionsModel,
  InstancesModel,
  InstanceTasksModel,
  TaskName,
} from '@kumo/store';
import { SYSTEM_DEVICE } from '../compute/disk-devices.js';
import { claimFor } from '../jobs/lifecycle.js';
import type { EvacuateArgs } from '../jobs/tasks/evacuateInstance.js';
import type { Logger } from '../logger.js';

export interface EvacuationDeps {
  instances: InstancesModel;
  hosts: HostsModel;
  leases: InstanceTasksModel;
  disks: DisksModel;
  actions: InstanceActionsModel;
  enqueue(instanceId: string, task: TaskName): Promise<void>;
  log: Logger;
}

export class InstanceEvacuationService {
  constructor(private readonly d: EvacuationDeps) {}

  /** Queues the evacuation of instance `id` (any account's) off its host (onto `toHost`, if given). */
  async evacuate(
    id: string,
    caller: { accessKey: string; requestId: string },
    toHost?: string,
  ): Promise<void> {
    const { d } = this;
    const inst = ID_PATTERNS.instance.test(id) ? await d.instances.get(id) : undefined;
    if (!inst) throw Errors.instanceNotFound(id.slice(0, 64));
    if (inst.hostId) {
      const host = await d.hosts.find(inst.hostId);
      if (host?.health === 'up') throw Errors.hostStillUp(host.id);
    }
    const disks = await d.disks.attachedTo([inst.id]);
    const mine = (x: (typeof disks)[number]) => x.attachments.find((a) => a.instanceId === inst.id);
    if (!disks.some((x) => mine(x)?.deviceName === SYSTEM_DEVICE))
      throw Errors.unsupported(
        'Evacuating an instance whose root disk is on its host (create it with a cloud system disk on rbd)',
      );
    const local = disks.find((x) => x.hostId !== null);
    if (local) throw Errors.unsupported(`Evacuating an instance with a local data disk (${local.id})`);
    const args: EvacuateArgs = { fromHost: inst.hostId, ...(toHost ? await this.target(inst, toHost) : {}) };
    const r = await d.leases.claim(undefined, inst.id, claimFor('evacuate', { ...args }));
    if ('reason' in r) {
      if (r.reason === 'missing') throw Errors.instanceNotFound(inst.id);
      if (r.reason === 'busy') throw Errors.conflictWithTask(r.task);
      throw Errors.invalidInstanceStatus(r.status);
    }
    await d.actions.record({
      instanceId: inst.id,
      accountId: inst.accountId,
      action: 'evacuate',
      requestedBy: caller.accessKey,
      requestId: caller.requestId,
    });
    d.log.warn(
      { instanceId: inst.id, fromHost: inst.hostId, requestedBy: caller.accessKey },
      'instance evacuation queued',
    );
    await d.enqueue(inst.id, 'evacuate');
  }

  /** The hosts placement must pass over so the instance lands on `toHost`, checked now. */
  private async target(
    inst: { az: string; regionId: string; hostId: string | null },
    toHost: string,
  ): Promise<Pick<EvacuateArgs, 'toHost' | 'passOver'>> {
    const host = await this.d.hosts.find(toHost);
    if (!host) throw Errors.hostNotFound(toHost.slice(0, 64));
    if (host.id === inst.hostId) throw Errors.evacuateTarget(host.id, 'is the host the instance is leaving');
    if (host.az !== inst.az || host.regionId !== inst.regionId)
      throw Errors.evacuateTarget(host.id, `is not in AZ ${inst.az}`);
    if (host.health !== 'up') throw Errors.evacuateTarget(host.id, `is ${host.health}`);
    if (!host.enabled) throw Errors.evacuateTarget(host.id, 'is drained');
    const others = (await this.d.hosts.list(inst.regionId)).filter(
      (h) => h.az === inst.az && h.id !== host.id,
    );
    return { toHost: host.id, passOver: others.map((h) => h.id) };
  }
}
