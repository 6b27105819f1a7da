// The durable tasks of an instance, each a sequence of idempotent steps on @kumo/hypervisor, ending
// in the status the lifecycle table names. Safe to re-run after a crash at any point.
import { isHypervisorError } from '@kumo/hypervisor';
import type { InstanceRecord, InstanceRow } from '@kumo/store';
import { placeAndClaim } from '../compute/placement.js';
import type { TaskName } from '../compute/lifecycle.js';
import type { JobContext } from './context.js';
import { buildSpec, networkSpecFor } from './instance-spec.js';

/** Reports progress of one task run; `finish` ends the task if this worker still holds it. */
export interface TaskRun {
  inst: InstanceRecord;
  finish(patch: Partial<InstanceRow>): Promise<void>;
  update(patch: Partial<InstanceRow>): Promise<void>;
}

/** A task implementation. */
export type TaskHandler = (ctx: JobContext, run: TaskRun) => Promise<void>;

const MAX_SPAWN_ATTEMPTS = 3;

/**
 * Runs `fn` while holding a Postgres advisory lock named by `key`, so host-wide preparation
 * (image upload, network definition) is done by one kumod process at a time; others wait and
 * then find it done (the steps are idempotent).
 */
async function hostLock<T>(ctx: JobContext, key: string, fn: () => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
    return fn();
  });
}

async function imageOf(ctx: JobContext, imageId: string) {
  const image = await ctx.images.get(imageId);
  if (!image) throw new Error(`image ${imageId} no longer exists`);
  return image;
}

/** spawn: image on the host, network, then the domain; on failure, another host (bounded). */
const spawn: TaskHandler = async (ctx, run) => {
  let inst = run.inst;
  const failedHosts: string[] = [];
  for (;;) {
    const hostId = inst.hostId;
    if (!hostId) throw new Error(`instance ${inst.id} has no host claim`);
    try {
      const image = await imageOf(ctx, inst.imageId);
      const { spec, files } = await buildSpec(ctx, inst, image);
      const net = await networkSpecFor(ctx, inst);
      await ctx.registry.with(hostId, async (h) => {
        // Several kumod processes may prepare the same host at once: one at a time per host object.
        await hostLock(ctx, `${hostId}:image:${image.id}`, () => h.ensureImage(spec.image, files));
        await hostLock(ctx, `${hostId}:net:${net.name}`, () => h.ensureNetwork(net));
        await h.spawn(spec);
      });
      await run.finish({
        status: 'running',
        power_state: 'running',
        launch_time: new Date(),
        error_reason: null,
      });
      return;
    } catch (err) {
      // An unreachable host may come back: leave the task for a later retry on the same claim.
      if (isHypervisorError(err, 'HOST_UNAVAILABLE')) throw err;
      ctx.log.warn({ instanceId: inst.id, hostId, err }, 'spawn failed on host');
      failedHosts.push(hostId);
      const moved = await moveToAnotherHost(ctx, inst, failedHosts);
      if (!moved) {
        await run.finish({
          status: 'error',
          power_state: 'absent',
          host_id: null,
          error_reason: `spawn failed: ${(err as Error).message}`.slice(0, 500),
        });
        return;
      }
      inst = moved;
    }
  }
};

/** Releases the instance's claim and claims another host, unless attempts are used up. */
async function moveToAnotherHost(
  ctx: JobContext,
  inst: InstanceRecord,
  avoid: string[],
): Promise<InstanceRecord | undefined> {
  const image = await ctx.images.get(inst.imageId);
  return ctx.db.transaction(async (trx) => {
    await ctx.hosts.release(inst.id, trx);
    const attempts = inst.spawnAttempts + 1;
    if (attempts >= MAX_SPAWN_ATTEMPTS) {
      await trx('instances').where({ id: inst.id }).update({ spawn_attempts: attempts, host_id: null });
      return undefined;
    }
    const r = await placeAndClaim(
      trx,
      ctx.hosts,
      inst.id,
      {
        regionId: inst.regionId,
        az: inst.az,
        vcpus: inst.vcpus,
        memoryMB: inst.memoryMB,
        diskGB: inst.systemDiskGB,
        arch: image?.architecture ?? 'x86_64',
        nestedVirt: inst.nestedVirt,
        avoidHostIds: avoid,
      },
      ctx.compute.weigher,
    );
    await trx('instances')
      .where({ id: inst.id })
      .update({ spawn_attempts: attempts, host_id: r.hostId ?? null });
    return r.hostId ? { ...inst, hostId: r.hostId, spawnAttempts: attempts } : undefined;
  });
}

const onHost = <T>(
  ctx: JobContext,
  inst: InstanceRecord,
  fn: Parameters<JobContext['registry']['with']>[1],
) => {
  if (!inst.hostId) throw new Error(`instance ${inst.id} is on no host`);
  return ctx.registry.with(inst.hostId, fn) as Promise<T>;
};

const start: TaskHandler = async (ctx, run) => {
  await onHost(ctx, run.inst, (h) => h.powerOn(run.inst.id));
  await run.finish({ status: 'running', power_state: 'running' });
};

const stop: TaskHandler = async (ctx, run) => {
  await onHost(ctx, run.inst, (h) =>
    h.powerOff(run.inst.id, { gracefulTimeoutMs: ctx.compute.stopTimeoutSeconds * 1000 }),
  );
  await run.finish({ status: 'stopped', power_state: 'stopped' });
};

const reboot: TaskHandler = async (ctx, run) => {
  await onHost(ctx, run.inst, (h) => h.reboot(run.inst.id));
  // modifyInstancePassword takes effect at the next reboot, as JD documents.
  const pending = run.inst.pendingPasswordHash;
  await run.finish({
    status: 'running',
    power_state: 'running',
    ...(pending ? { password_hash: pending, pending_password_hash: null } : {}),
  });
};

const resize: TaskHandler = async (ctx, run) => {
  const args = run.inst.taskArgs as {
    instanceType: string;
    vcpus: number;
    memoryMB: number;
    nestedVirt: boolean;
  };
  await onHost(ctx, run.inst, (h) =>
    h.resize(run.inst.id, { vcpus: args.vcpus, memoryMiB: args.memoryMB, nested: args.nestedVirt }),
  );
  await run.finish({
    status: 'stopped',
    instance_type: args.instanceType,
    vcpus: args.vcpus,
    memory_mb: args.memoryMB,
    nested_virt: args.nestedVirt,
  });
};

const rebuild: TaskHandler = async (ctx, run) => {
  const args = run.inst.taskArgs as { imageId: string; keyNames: string[]; passwordHash: string };
  const image = await imageOf(ctx, args.imageId);
  const { spec, files } = await buildSpec(ctx, run.inst, image, {
    keyNames: args.keyNames,
    passwordHash: args.passwordHash,
  });
  await onHost(ctx, run.inst, async (h) => {
    await hostLock(ctx, `${run.inst.hostId}:image:${image.id}`, () => h.ensureImage(spec.image, files));
    await h.rebuild(run.inst.id, spec);
  });
  await run.finish({
    status: 'stopped',
    image_id: args.imageId,
    key_names: args.keyNames,
    password_hash: args.passwordHash,
    pending_password_hash: null,
  });
};

/** delete: the host forgets the instance, then its claim and row go in one transaction. */
const remove: TaskHandler = async (ctx, run) => {
  if (run.inst.hostId) await onHost(ctx, run.inst, (h) => h.destroy(run.inst.id));
  await ctx.db.transaction(async (trx) => {
    await ctx.hosts.release(run.inst.id, trx);
    await ctx.instances.remove(trx, run.inst.id);
  });
};

/** Every task by name. */
export const TASKS: Record<TaskName, TaskHandler> = {
  spawn,
  start,
  stop,
  reboot,
  resize,
  rebuild,
  delete: remove,
};
