// `kumo instance vnc <id>` prints a browser console URL (describeInstanceVncUrl); `kumo instance
// console <id>` attaches the terminal to the serial console through kumod's WebSocket proxy (Ctrl-]
// leaves), and `--log` prints the console's recent output instead. All three are signed API calls;
// the WebSocket carries only the single-use token the call returned.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import WebSocket from 'ws';
import { loadCredentials } from '@kumo/client';
import type { DescribeInstanceConsoleLogResult, DescribeInstanceVncUrlResult } from '@kumo/contract';
import type { ContextFor } from '../program.js';
import { renderJson } from '../format.js';

/** The byte that leaves an interactive console: Ctrl-] (as telnet and virsh console). */
export const ESCAPE = 0x1d;

/** Registers `instance vnc` and `instance console`. */
export function registerInstanceConsole(group: Command, contextFor: ContextFor): void {
  const path = (regionId: string, id: string, what: string) =>
    `/v1/regions/${encodeURIComponent(regionId)}/instances/${encodeURIComponent(id)}/${what}`;
  group
    .command('vnc <instanceId>')
    .description('Print a single-use browser console URL for a running instance (valid 1 h)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const client = ctx.getClient();
      const res = await client.request<DescribeInstanceVncUrlResult>('GET', path(client.regionId, id, 'vnc'));
      ctx.print(ctx.output === 'json' ? renderJson(res) : res.vncUrl);
    });
  group
    .command('console <instanceId>')
    .description("Attach to a running instance's serial console (leave with Ctrl-])")
    .option('--log', 'print the recent console output instead (also of a stopped instance)')
    .action(async (id: string, o: { log?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const client = ctx.getClient();
      if (o.log) {
        const res = await client.request<DescribeInstanceConsoleLogResult>(
          'GET',
          path(client.regionId, id, 'consoleLog'),
        );
        if (ctx.output === 'json') ctx.print(renderJson(res));
        else process.stdout.write(res.output);
        return;
      }
      const { url } = await client.request<{ url: string }>(
        'GET',
        path(client.regionId, id, 'serialConsole'),
      );
      ctx.note('Connected to the serial console; press Ctrl-] to leave.');
      await attach(url, caOf());
    });
}

// The CA file of the credentials, for a kumod with a self-signed certificate.
function caOf(): Buffer | undefined {
  try {
    const file = loadCredentials().caFile;
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Pipes the terminal to a serial console WebSocket until either side ends or Ctrl-] is typed. */
function attach(url: string, ca: Buffer | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(ca && { ca }), maxPayload: 1 << 20 });
    const stdin = process.stdin;
    const raw = stdin.isTTY === true;
    const onInput = (chunk: Buffer) => {
      const at = chunk.indexOf(ESCAPE);
      if (at >= 0) {
        if (at > 0) ws.send(chunk.subarray(0, at));
        ws.close();
        return;
      }
      ws.send(chunk);
    };
    const done = () => {
      stdin.off('data', onInput);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve();
    };
    ws.on('unexpected-response', (_req, res) => {
      reject(new Error(`the console was refused (HTTP ${res.statusCode})`));
    });
    ws.on('error', (err) => reject(err));
    ws.on('open', () => {
      if (raw) stdin.setRawMode(true);
      stdin.on('data', onInput);
      stdin.resume();
    });
    ws.on('message', (data: Buffer) => {
      // Backpressure: a slow terminal pauses the socket rather than growing a buffer.
      if (!process.stdout.write(data)) {
        ws.pause();
        process.stdout.once('drain', () => ws.resume());
      }
    });
    ws.on('close', done);
  });
}
