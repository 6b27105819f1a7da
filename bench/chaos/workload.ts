// The chaos soak's users: accounts issuing a random mix of lifecycle operations against either
// kumod, each picking an operation its instance's status allows (and sometimes one it does not:
// a refusal must be a 4xx, never a 5xx), and — with a disk AZ — cloud disk operations (create,
// attach to one of its instances, detach, delete). Tallies what happened.
import { KumoApiError, KumoUnreachableError, type KumoClient } from '@kumo/client';
import type { CreateInstancesRequest } from '@kumo/contract';

/** Counts of one soak. */
export interface Tally {
  operations: number;
  accepted: number;
  refused4xx: number;
  /** Refusals by JD status (e.g. FAILED_PRECONDITION for a task in flight). */
  refusedBy: Record<string, number>;
  /** 5xx responses: each is a violation. */
  serverErrors: string[];
  /** Connection failures (the kumod asked was down): expected, not violations. */
  unreachable: number;
}

/** One user: a client per kumod, and how to build a create request. */
export interface Actor {
  name: string;
  clients: () => KumoClient[];
  create: (name: string) => CreateInstancesRequest;
  maxInstances: number;
  /** The AZ of its cloud disks (rbd); none: no disk operations. */
  diskAz?: string;
  maxDisks?: number;
}

interface ListedDisk {
  diskId: string;
  status: string;
  attachments: { instanceId: string }[];
}

/** One disk operation: what a disk's status allows (sometimes what it does not). */
async function diskOp(
  client: KumoClient,
  a: Actor,
  instances: { instanceId: string; status: string }[],
  name: string,
): Promise<void> {
  const R = `/v1/regions/${client.regionId}`;
  const { disks } = await client.request<{ disks: ListedDisk[] }>('GET', `${R}/disks`, {
    query: { pageSize: 100 },
  });
  const live = disks.filter((d) => d.status !== 'deleting');
  if (live.length < (a.maxDisks ?? 2) && Math.random() < 0.4) {
    await client.request('POST', `${R}/disks`, {
      body: {
        diskSpec: { az: a.diskAz, name, diskType: 'ssd', diskSizeGB: 20 },
        maxCount: 1,
        clientToken: `${name}-${Math.random().toString(36).slice(2, 10)}`,
      },
    });
    return;
  }
  if (live.length === 0) return;
  const d = pick(live);
  const wrong = Math.random() < 0.1;
  const target = instances.length > 0 ? pick(instances) : undefined;
  if ((d.status === 'available') !== wrong) {
    if (target && Math.random() < 0.7)
      await client.request('POST', `${R}/instances/${target.instanceId}:attachDisk`, {
        body: { diskId: d.diskId },
      });
    else await client.request('DELETE', `${R}/disks/${d.diskId}`);
  } else {
    const on = d.attachments[0]?.instanceId ?? target?.instanceId;
    if (on) await client.request('POST', `${R}/instances/${on}:detachDisk`, { body: { diskId: d.diskId } });
  }
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** The operations a status allows (plus a deliberately wrong one now and then). */
function choose(status: string): string {
  const allowed: Record<string, string[]> = {
    running: ['stop', 'stop', 'reboot', 'delete'],
    stopped: ['start', 'start', 'resize', 'rebuild', 'delete'],
    error: ['delete'],
  };
  const ops = allowed[status];
  if (!ops || Math.random() < 0.1) return pick(['stop', 'start', 'reboot', 'resize']);
  return pick(ops);
}

/** Runs one actor until `until` (epoch ms); every request is bounded by the client's own timeout. */
export async function runActor(a: Actor, until: number, tally: Tally, sizes: string[]): Promise<void> {
  let seq = 0;
  while (Date.now() < until) {
    const client = pick(a.clients());
    tally.operations++;
    try {
      const { instances } = await client.describeInstances({ pageSize: 100 });
      const mine = instances.filter((i) => i.status !== 'deleting');
      if (a.diskAz && Math.random() < 0.3) {
        await diskOp(client, a, mine, `${a.name}-d${seq++}`);
      } else if (mine.length < a.maxInstances && Math.random() < 0.4) {
        await client.createInstances(a.create(`${a.name}-${seq++}`));
      } else if (mine.length > 0) {
        const inst = pick(mine);
        const op = choose(inst.status);
        const id = inst.instanceId;
        if (op === 'stop') await client.stopInstance(id);
        if (op === 'start') await client.startInstance(id);
        if (op === 'reboot') await client.rebootInstance(id);
        if (op === 'delete') await client.deleteInstance(id);
        if (op === 'rebuild') await client.rebuildInstance(id, { password: 'Chaos-Soak-42' });
        if (op === 'resize')
          await client.resizeInstance(id, pick(sizes.filter((s) => s !== inst.instanceType)));
      }
      tally.accepted++;
    } catch (err) {
      if (err instanceof KumoUnreachableError) tally.unreachable++;
      else if (err instanceof KumoApiError && err.httpStatus < 500) {
        tally.refused4xx++;
        tally.refusedBy[err.status] = (tally.refusedBy[err.status] ?? 0) + 1;
      } else if (err instanceof KumoApiError) tally.serverErrors.push(`${err.httpStatus} ${err.message}`);
      else throw err;
    }
    await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));
  }
}
