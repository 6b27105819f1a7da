// What the vpc-service command groups share: the region path, paged lists of JD's vpc
// collections (every page, as the other list commands show everything), and printing a created id.
import type { Command } from 'commander';
import type { KumoClient } from '@kumo/client';
import type { CommandContext } from '../context.js';
import { renderJson, renderTable, type Column } from '../format.js';
import { collectPages } from '../paging.js';

/** `/v1/regions/{region}` plus `rest`, as JD's vpc SDK sends it (collections end in '/'). */
export const regionPath = (client: KumoClient, rest: string) =>
  `/v1/regions/${encodeURIComponent(client.regionId)}${rest}`;

/** Every item of a vpc collection, optionally filtered (JD filters: name → values). */
export async function listAll<T>(
  client: KumoClient,
  collection: string,
  key: string,
  filters: Record<string, string[] | undefined> = {},
): Promise<T[]> {
  const f = Object.entries(filters)
    .filter(([, v]) => v && v.length > 0)
    .map(([name, values]) => ({ name, values: values! }));
  return collectPages(async (pageNumber, pageSize) => {
    const r = await client.request<Record<string, unknown>>('GET', regionPath(client, `/${collection}/`), {
      query: { pageNumber, pageSize, ...(f.length ? { filters: f } : {}) },
    });
    return { items: (r[key] as T[]) ?? [], totalCount: (r.totalCount as number) ?? 0 };
  });
}

/** Prints a list as a table, or as JD's `{ key: [...], totalCount }` with -o json. */
export function printList<T>(ctx: CommandContext, key: string, columns: Column<T>[], items: T[]): void {
  ctx.print(
    ctx.output === 'json'
      ? renderJson({ [key]: items, totalCount: items.length })
      : renderTable(columns, items),
  );
}

/** Prints the result of a create: the JSON result, or just the new id. */
export function printCreated(ctx: CommandContext, result: Record<string, unknown>, idKey: string): void {
  ctx.print(ctx.output === 'json' ? renderJson(result) : `${String(result[idKey])}\n`);
}

/** Registers `<group> delete <id>` calling DELETE on the collection. */
export function deleteCommand(
  group: Command,
  contextFor: (cmd: Command) => CommandContext,
  collection: string,
  what: string,
): void {
  group
    .command('delete <id>')
    .description(`Delete a ${what}`)
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const client = contextFor(cmd).getClient();
      await client.request('DELETE', regionPath(client, `/${collection}/${encodeURIComponent(id)}`));
    });
}
