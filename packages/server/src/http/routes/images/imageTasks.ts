// imageTasks: GET /v1/regions/{regionId}/imageTasks — the account's image import tasks: taskIds, taskAction, taskStatus, time range, paging.
import { Errors, IMAGE_TASK_ACTIONS, IMAGE_TASK_STATUSES, type ImageTasksResult } from '@kumo/contract';
import { parsePage, type DecodedQuery } from '../../params.js';
import { defineRoute } from '../../route.js';
import { imageTaskView } from '../../views/image.js';

const TASK_ID = /^imt-[a-z0-9]{12}$/;

function oneOf(query: DecodedQuery, name: string, allowed: readonly string[]): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v))
    throw Errors.invalidParameter(name, `must be one of ${allowed.join(', ')}`);
  return v;
}

/** JD's "YYYY-MM-DD HH:mm:ss" (UTC) or ISO 8601. */
function time(query: DecodedQuery, name: string): Date | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const d =
    typeof v === 'string' && v.length <= 40
      ? new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`)
      : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw Errors.invalidParameter(name, 'must be a time such as 2026-12-01 10:00:00');
  return d;
}

/** taskIds: one string of comma-separated ids (JD's SDK), or repeated values. */
function taskIds(query: DecodedQuery): string[] | undefined {
  const v = query.taskIds;
  if (v === undefined) return undefined;
  const values = Array.isArray(v) ? v : [v];
  if (values.some((s) => typeof s !== 'string')) throw Errors.invalidParameter('taskIds');
  const ids = (values as string[]).flatMap((s) => s.split(',')).map((i) => i.trim());
  if (ids.length > 100) throw Errors.invalidParameter('taskIds', 'at most 100 ids');
  // An id of another shape names no task: it matches nothing, like an unknown one.
  return ids.filter((i) => TASK_ID.test(i));
}

export default defineRoute({
  operation: 'imageTasks',
  method: 'GET',
  path: '/v1/regions/{regionId}/imageTasks',
  errors: ['invalidParameter', 'pageSizeOutOfRange', 'pageNumberOutOfRange'],
  handle: async ({ services, account, regionId, query }): Promise<ImageTasksResult> => {
    const page = parsePage(query);
    const r = await services.imageImport.tasks(
      { accountId: account.id, regionId },
      {
        ids: taskIds(query),
        action: oneOf(query, 'taskAction', IMAGE_TASK_ACTIONS),
        status: oneOf(query, 'taskStatus', IMAGE_TASK_STATUSES),
        createdFrom: time(query, 'startTime'),
        createdTo: time(query, 'endTime'),
      },
      page.offset,
      page.pageSize,
    );
    return { taskSet: r.items.map(imageTaskView), totalCount: r.total };
  },
});
