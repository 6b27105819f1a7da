// The step that moves an instance of the NAT era onto the network plane before it powers on (in
// start, reboot, rebuild and a spawn a crash interrupted before the plane existed): its interface
// written (keeping MAC and address), the port converged, the domain's NIC moved onto the port,
// and its host's libvirt NAT network removed once no instance there uses it. Every part is
// idempotent, and the instance stays marked until the last one, so a re-run finishes the move.
import type { InstanceRecord } from '@kumo/store';
import type { HostDriver } from '../../drivers/host-driver.js';
import type { TaskContext } from '../context.js';
import type { Step } from '../steps.js';
import { onHost } from '../instance-spec.js';

/**
 * Removes the host's libvirt network of shared subnet `sharedSubnetId` unless another instance
 * there still uses it, then runs `then`; under the lock the NAT era's spawns took the network
 * with, so of two instances leaving at once the second sees the first gone and removes it.
 */
export async function leaveNatNetwork(
  ctx: TaskContext,
  inst: InstanceRecord,
  sharedSubnetId: string,
  h: HostDriver,
  then: () => Promise<void>,
): Promise<void> {
  const hostId = inst.hostId!;
  await ctx.locks.locked(`${hostId}:net:${sharedSubnetId}`, async () => {
    if ((await ctx.natEra.othersOnHost(hostId, sharedSubnetId, inst.id)) === 0)
      await h.removeNetwork(sharedSubnetId);
    await then();
  });
}

export const adoptNetworkStep: Step = {
  name: 'adopt-network',
  async run(ctx, run) {
    const inst = run.inst;
    if (!inst.natEra) return;
    const { nic, sharedSubnetId } = await ctx.natEra.adopt(inst);
    await ctx.network.converged(nic.id);
    await onHost(ctx, inst, async (h) => {
      // A spawn interrupted by the upgrade has no domain yet: it is made on the port.
      if ((await h.state(inst.id)) !== 'absent')
        await h.replaceNic(inst.id, {
          mac: nic.mac,
          ovn: { bridge: ctx.network.bridge, interfaceId: nic.interfaceId },
        });
      await leaveNatNetwork(ctx, inst, sharedSubnetId, h, () => ctx.natEra.settle(inst.id));
    });
    ctx.log.info(
      { instanceId: inst.id, networkInterfaceId: nic.id },
      'instance moved onto the network plane',
    );
    run.inst = {
      ...inst,
      natEra: false,
      subnetId: nic.subnetId,
      vpcId: nic.vpcId,
      networkInterfaceId: nic.id,
    };
  },
};
