// JD's attachNetworkInterface, detachNetworkInterface and modifyInstanceNetworkAttribute: which
// interface may go to which instance — a detached secondary interface of the account, in the
// instance's AZ and VPC, within the instance type's nicLimit, the instance running or stopped with
// no task in flight — written as the interface's task in one transaction (under the account's
// network lock, the instance row locked so no lifecycle task starts meanwhile); the NIC worker
// plugs it into the host. The primary interface is never attached or detached.
import { Errors, ID_PATTERNS, VPC_ID_PATTERNS } from '@kumo/contract';
import type {
  InstanceRecord,
  InstancesModel,
  InterfaceAttachmentsModel,
  NetworkInterfaceRecord,
  NetworkInterfacesModel,
  Scope,
  Transaction,
  Transactions,
} from '@kumo/store';
import { accountNetworkLock } from './network-defaults.js';

/** What attachments need. */
export interface NicAttachmentDeps {
  tx: Transactions;
  instances: InstancesModel;
  interfaces: NetworkInterfacesModel;
  attachments: InterfaceAttachmentsModel;
  /** The catalogue's nicLimit of an instance type (undefined: no longer in the catalogue). */
  nicLimit(instanceType: string): number | undefined;
  /** Wakes the NIC worker. */
  changed(): void;
}

/** Network interfaces of instances. */
export class NicAttachmentService {
  constructor(private readonly d: NicAttachmentDeps) {}

  /** Attaches a secondary interface (hot-plug when the instance runs). */
  async attach(scope: Scope, instanceId: string, nicId: string, autoDelete = false): Promise<void> {
    await this.locked(scope, instanceId, nicId, async (trx, inst, nic, mine) => {
      if (nic.instanceId === instanceId)
        throw Errors.invalidParameter('networkInterfaceId', 'already attached');
      if (nic.instanceId) throw Errors.networkInterfaceAttached(nic.id, nic.instanceId);
      const primary = mine.find((n) => n.role === 'Primary')!;
      if (nic.az !== inst.az)
        throw Errors.invalidParameter(
          'networkInterfaceId',
          `interface is in AZ '${nic.az}', the instance in '${inst.az}'`,
        );
      if (nic.vpcId !== primary.vpcId)
        throw Errors.invalidParameter(
          'networkInterfaceId',
          `interface is in VPC '${nic.vpcId}', the instance in '${primary.vpcId}'`,
        );
      // An unknown type (removed from the catalogue since) keeps what it has and gains nothing.
      const limit = this.d.nicLimit(inst.instanceType) ?? mine.length;
      if (mine.length >= limit) throw Errors.nicLimitExceeded(inst.instanceType, limit);
      const slot = await this.d.attachments.freeSlot(trx, instanceId);
      if (!(await this.d.attachments.beginAttach(trx, nic.id, { instanceId, slot, autoDelete })))
        throw Errors.conflictWithTask('attachNetworkInterface');
    });
    this.d.changed();
  }

  /** Detaches a secondary interface; it shows `detaching`, then `detached`. */
  async detach(scope: Scope, instanceId: string, nicId: string): Promise<void> {
    await this.locked(scope, instanceId, nicId, async (trx, _inst, nic) => {
      if (nic.instanceId !== instanceId) throw Errors.networkInterfaceNotAttached(nic.id, instanceId);
      if (!(await this.d.attachments.beginDetach(trx, nic.id, instanceId)))
        throw Errors.conflictWithTask('detachNetworkInterface');
    });
    this.d.changed();
  }

  /** Sets autoDelete of the instance's secondary interfaces, all or none. */
  async modify(
    scope: Scope,
    instanceId: string,
    networks: { networkInterfaceId: string; autoDelete?: boolean }[],
  ): Promise<void> {
    if (!ID_PATTERNS.instance.test(instanceId)) throw Errors.instanceNotFound(instanceId.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      if (!(await this.d.instances.find(scope, instanceId, trx))) throw Errors.instanceNotFound(instanceId);
      for (const x of networks) {
        const nic = await this.interfaceOf(scope, x.networkInterfaceId, trx);
        if (nic.role === 'Primary') throw Errors.primaryNetworkInterface(nic.id);
        if (nic.instanceId !== instanceId) throw Errors.networkInterfaceNotAttached(nic.id, instanceId);
        if (x.autoDelete !== undefined)
          await this.d.attachments.setAutoDelete(trx, nic.id, instanceId, x.autoDelete);
      }
    });
  }

  /**
   * Runs `fn` under the account's network lock with the instance locked and checked (running or
   * stopped, no task, on the network plane) and the interface found (a secondary one with no
   * attach or detach in flight); `mine` are the instance's interfaces, the primary among them.
   */
  private async locked(
    scope: Scope,
    instanceId: string,
    nicId: string,
    fn: (
      trx: Transaction,
      inst: InstanceRecord,
      nic: NetworkInterfaceRecord,
      mine: NetworkInterfaceRecord[],
    ) => Promise<void>,
  ): Promise<void> {
    if (!ID_PATTERNS.instance.test(instanceId)) throw Errors.instanceNotFound(instanceId.slice(0, 64));
    await this.d.tx.locked(accountNetworkLock(scope), async (trx) => {
      const inst = await this.d.instances.find(scope, instanceId, trx);
      if (!inst) throw Errors.instanceNotFound(instanceId);
      const nic = await this.interfaceOf(scope, nicId, trx);
      if (inst.task) throw Errors.conflictWithTask(inst.task);
      if (inst.status !== 'running' && inst.status !== 'stopped')
        throw Errors.invalidInstanceStatus(inst.status);
      const mine = await this.d.interfaces.ofInstance(trx, instanceId);
      if (!mine.some((n) => n.role === 'Primary')) throw Errors.instanceNotOnNetworkPlane(instanceId);
      if (nic.role === 'Primary') throw Errors.primaryNetworkInterface(nic.id);
      if (nic.attachTask) throw Errors.conflictWithTask(`${nic.attachTask}NetworkInterface`);
      await fn(trx, inst, nic, mine);
    });
  }

  private async interfaceOf(scope: Scope, id: string, trx: Transaction): Promise<NetworkInterfaceRecord> {
    const nic = VPC_ID_PATTERNS.networkInterface.test(id)
      ? await this.d.interfaces.find(scope, id, trx)
      : undefined;
    if (!nic) throw Errors.networkInterfaceNotFound(id.slice(0, 64));
    return nic;
  }
}
