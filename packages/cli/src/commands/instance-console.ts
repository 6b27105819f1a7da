// `kumo instance vnc <id>`: prints a browser console URL (describeInstanceVncUrl). The URL is
// single-use and valid for an hour; open it in a browser that reaches kumod's endpoint.
import type { Command } from 'commander';
import type { DescribeInstanceVncUrlResult } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderJson } from '../format.js';

/** Registers `instance vnc`. */
export function registerInstanceConsole(group: Command, contextFor: ContextFor): void {
  group
    .command('vnc <instanceId>')
    .description('Print a single-use browser console URL for a running instance (valid 1 h)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const client = ctx.getClient();
      const res = await client.request<DescribeInstanceVncUrlResult>(
        'GET',
        `/v1/regions/${encodeURIComponent(client.regionId)}/instances/${encodeURIComponent(id)}/vnc`,
      );
      ctx.print(ctx.output === 'json' ? renderJson(res) : res.vncUrl);
    });
}
