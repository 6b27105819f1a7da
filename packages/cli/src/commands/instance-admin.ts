// `kumo instance force-delete|reset-state|evacuate` (admin): the way out for instances a dead host
// holds;
// `kumo instance renew` (admin): another prepaid period for an instance.
import type { Command } from 'commander';
import type { ContextFor } from '../program.js';
import { UsageError } from '../errors.js';
import { renderJson } from '../format.js';

const STATUSES = ['error', 'stopped', 'running'];

/** Registers the admin-only instance commands on the instance group. */
export function registerInstanceAdmin(group: Command, contextFor: ContextFor): void {
  group
    .command('force-delete <instanceId>')
    .description(
      'Delete an instance from the inventory now, whatever its host (admin); the host is cleaned when it answers',
    )
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      await ctx
        .getClient()
        .adminRequest('POST', `/instances/${encodeURIComponent(id)}:forceDelete`, { body: {} });
      ctx.print(
        ctx.output === 'json' ? renderJson({ instanceId: id, deleted: true }) : `force-deleted ${id}`,
      );
    });

  group
    .command('evacuate <instanceId>')
    .description(
      'Bring an instance of a host that is down up on another host of its AZ from its rbd disks (admin)',
    )
    .option('--host <hostId>', 'the host to bring it up on (default: the scheduler picks one)')
    .action(async (id: string, o: { host?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      await ctx.getClient().adminRequest('POST', `/instances/${encodeURIComponent(id)}:evacuate`, {
        body: o.host ? { hostId: o.host } : {},
      });
      ctx.print(
        ctx.output === 'json'
          ? renderJson({ instanceId: id, evacuating: true })
          : `evacuating ${id} (it shows starting, then running)`,
      );
    });

  group
    .command('reset-state <instanceId>')
    .description('Set an instance status and drop a stuck task (admin)')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`, 'error')
    .action(async (id: string, o: { status: string }, cmd: Command) => {
      if (!STATUSES.includes(o.status))
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
      const ctx = contextFor(cmd);
      await ctx.getClient().adminRequest('POST', `/instances/${encodeURIComponent(id)}:resetState`, {
        body: { status: o.status },
      });
      ctx.print(
        ctx.output === 'json' ? renderJson({ instanceId: id, status: o.status }) : `${id} is ${o.status}`,
      );
    });

  group
    .command('renew <instanceId>')
    .description('Add a prepaid period to a prepaid_by_duration instance (admin)')
    .option('--unit <unit>', 'month or year', 'month')
    .option('--duration <n>', '1-9 months or 1-3 years', '1')
    .action(async (id: string, o: { unit: string; duration: string }, cmd: Command) => {
      if (o.unit !== 'month' && o.unit !== 'year') throw new UsageError('--unit must be month or year');
      const duration = Number(o.duration);
      if (!Number.isInteger(duration) || duration < 1)
        throw new UsageError('--duration must be a positive integer');
      const ctx = contextFor(cmd);
      const r = await ctx
        .getClient()
        .adminRequest<{ instanceId: string; chargeExpiredTime: string; chargeRetireTime: string }>(
          'POST',
          `/instances/${encodeURIComponent(id)}:renew`,
          { body: { chargeUnit: o.unit, chargeDuration: duration } },
        );
      ctx.print(ctx.output === 'json' ? renderJson(r) : `${id} expires at ${r.chargeExpiredTime}`);
    });
}
