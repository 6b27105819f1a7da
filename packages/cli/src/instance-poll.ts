// Connects the pure wait loop to the API: statuses come from describeInstanceStatus (filtered by id,
// every page), progress goes to stderr.
import { KumoApiError, type KumoClient } from '@kumo/client';
import type { CommandContext } from './context.js';
import { realClock } from './context.js';
import { collectPages } from './paging.js';
import { sshBannerProbe, waitForReachable } from './reachable.js';
import { loginAddress } from './ssh.js';
import { waitForInstances, WaitError, type StatusFetch, type WaitTarget } from './wait.js';

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

/**
 * Waits for `ids` to reach `target`, one progress line per status change on stderr; for `running`,
 * then until each guest's SSH server answers on its address (what `kumo instance ssh` connects to),
 * all within the one timeout.
 */
export async function waitWithProgress(
  ctx: CommandContext,
  ids: string[],
  target: WaitTarget,
  timeoutSeconds: number,
): Promise<void> {
  const clock = ctx.io.clock ?? realClock;
  const client = ctx.getClient();
  const start = clock.now();
  await waitForStatus(ctx, client, ids, target, timeoutSeconds);
  if (target !== 'running') return;
  await waitForReachable(ids, {
    addressOf: async (id) => {
      const { instance } = await client.describeInstance(id);
      return loginAddress(instance) || undefined;
    },
    probe: ctx.io.probe ?? sshBannerProbe,
    now: clock.now,
    sleep: clock.sleep,
    timeoutMs: Math.max(0, timeoutSeconds * 1000 - (clock.now() - start)),
    onProgress: (line) => ctx.note(line + '\n'),
  });
}

async function waitForStatus(
  ctx: CommandContext,
  client: KumoClient,
  ids: string[],
  target: WaitTarget,
  timeoutSeconds: number,
): Promise<void> {
  const clock = ctx.io.clock ?? realClock;
  try {
    await waitForInstances(ids, target, {
      fetch: statusFetch(client),
      now: clock.now,
      sleep: clock.sleep,
      timeoutMs: timeoutSeconds * 1000,
      // Rate limiting (HTTP 429) only delays the next poll; waiting is not what the user asked to stop.
      retryable: (e) => e instanceof KumoApiError && e.httpStatus === 429,
      onProgress: (line) => ctx.note(line + '\n'),
    });
  } catch (err) {
    if (err instanceof WaitError && err.errored.length > 0) {
      throw new WaitError(`${err.message}${await failureDetails(client, err.errored)}`, err.errored);
    }
    throw err;
  }
}

/**
 * Why instances failed, from the last failed entry of their action log. The log is on the admin API,
 * so for other callers this is empty and the status alone is reported.
 */
export async function failureDetails(client: KumoClient, ids: string[]): Promise<string> {
  const lines: string[] = [];
  for (const id of ids) {
    try {
      const { events } = await client.adminRequest<{
        events: { action: string; outcome: string; detail: string }[];
      }>('GET', `/instances/${encodeURIComponent(id)}/events`);
      const failed = events.filter((e) => e.outcome !== 'succeeded' && e.detail).pop();
      if (failed) lines.push(`${id}: ${failed.action} ${failed.outcome}: ${failed.detail}`);
    } catch {
      // Not an admin, or the log is unavailable: the status already says what happened.
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}
