// Associate/DisassociateInstancesKeyPairs: the whole batch is checked first (instances of the
// caller, each stopped, or running with ForceStop; key pairs of the caller), then each instance's
// keys are set through the keys task (a new seed; the guest installs the keys at its next boot).
import { TencentErrors } from '@kumo/contract';
import type { InstanceRecord } from '@kumo/store';
import { z } from 'zod';
import { defineAction, type CvmContext } from '../action.js';
import { batchOf, callerOf, scopeOf } from '../batch.js';
import { cvmInstanceId, keyNameOf } from '../ids.js';
import { idList } from '../params.js';

const params = z.strictObject({ InstanceIds: idList, KeyIds: idList, ForceStop: z.boolean().optional() });

/** A key pair action: `keysOf` gives an instance's new keys from its current ones and the named. */
export function keyAssociationAction(
  action: string,
  keysOf: (inst: InstanceRecord, named: string[]) => string[],
) {
  return defineAction({
    action,
    operation: action,
    params,
    handle: async (ctx: CvmContext<z.infer<typeof params>>) => {
      const p = ctx.params;
      if (p.InstanceIds.length > 100) throw TencentErrors.invalidParameterValue('InstanceIds', 'at most 100');
      if (p.KeyIds.length > 100) throw TencentErrors.invalidParameterValue('KeyIds', 'at most 100');
      const named = [...new Set(p.KeyIds.map(keyNameOf))];
      const { items } = await ctx.services.keypairs.describe(scopeOf(ctx), {
        names: named,
        offset: 0,
        limit: 100,
      });
      const missing = p.KeyIds.find((id) => !items.some((k) => k.keyName === keyNameOf(id)));
      if (missing !== undefined) throw TencentErrors.keyPairNotFound(missing.slice(0, 64));
      // The lifecycle table's check (busy, stopped or running), then ForceStop's for running ones.
      const batch = await batchOf(ctx, p.InstanceIds, 'keys');
      const running = batch.find((inst) => inst.status === 'running');
      if (running && !p.ForceStop) throw TencentErrors.instanceRunning(cvmInstanceId(running.id));
      for (const inst of batch)
        await ctx.services.instances.setKeys(
          scopeOf(ctx),
          callerOf(ctx),
          inst.id,
          keysOf(inst, named),
          p.ForceStop ?? false,
        );
      return {};
    },
  });
}
