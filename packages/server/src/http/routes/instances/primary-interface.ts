// The primary network interface of the instance a vm-service route names: the instance must be the
// caller's (else NOT_FOUND) and on the network plane (instances of the NAT era have no interface).
import { Errors } from '@kumo/contract';
import type { Scope } from '@kumo/store';
import type { RequestContext } from '../../route.js';

/** The instance id and its primary interface's id. */
export async function primaryInterfaceOf(
  ctx: RequestContext<unknown>,
  scope: Scope,
): Promise<{ instanceId: string; primary: string }> {
  const inst = await ctx.services.instances.get(scope, ctx.params.instanceId!);
  const net = (await ctx.services.networkInterfaces.ofInstances(scope, [inst.id])).get(inst.id);
  const primary = net?.interfaces.find((n) => n.role === 'Primary');
  if (!primary) throw Errors.instanceNotOnNetworkPlane(inst.id);
  return { instanceId: inst.id, primary: primary.id };
}
