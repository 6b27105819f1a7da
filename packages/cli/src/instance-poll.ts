// Connects the pure wait loop to the API: statuses come from describeInstanceStatus (filtered by id,
// every page), progress goes to stderr.
import type { KumoClient } from '@kumo/client';
import type { CommandContext } from './context.js';
import { realClock } from './context.js';
import { collectPages } from './paging.js';
import { waitForInstances, type StatusFetch, type WaitTarget } from './wait.js';

/** The API allows 100 values per filter. */
const IDS_PER_REQUEST = 100;

/** A StatusFetch on describeInstanceStatus; ids not listed no longer exist. */
export function statusFetch(client: KumoClient): StatusFetch {
  return async (ids) => {
    const statuses = new Map<string, string>();
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const filters = [{ name: 'instanceId', values: ids.slice(i, i + IDS_PER_REQUEST) }];
      const items = await collectPages(async (pageNumber, pageSize) => {
        const r = await client.describeInstanceStatus({ pageNumber, pageSize, filters });
        return { items: r.instanceStatuses ?? [], totalCount: r.totalCount ?? 0 };
      });
      for (const s of items) statuses.set(s.instanceId, s.status);
    }
    return statuses;
  };
}

/** Waits for `ids` to reach `target`, one progress line per status change on stderr. */
export async function waitWithProgress(
  ctx: CommandContext,
  ids: string[],
  target: WaitTarget,
  timeoutSeconds: number,
): Promise<void> {
  const clock = ctx.io.clock ?? realClock;
  await waitForInstances(ids, target, {
    fetch: statusFetch(ctx.getClient()),
    now: clock.now,
    sleep: clock.sleep,
    timeoutMs: timeoutSeconds * 1000,
    onProgress: (line) => ctx.note(line + '\n'),
  });
}
