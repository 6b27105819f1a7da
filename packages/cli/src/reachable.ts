// Waiting for guests to be reachable: after `running`, `--wait` also waits until each instance's SSH
// server answers on the address a user would connect to, because "running" only means the domain
// was started, not that the guest booted. The probe is injected so the loop is tested without guests.
import { connect } from 'node:net';
import { formatElapsed, WaitError } from './wait.js';

/** Tells whether an SSH server answers at ip:port (its banner arrives) within timeoutMs. */
export type SshProbe = (ip: string, port: number, timeoutMs: number) => Promise<boolean>;

/** The real probe: a TCP connection whose first bytes are an SSH identification string. */
export const sshBannerProbe: SshProbe = (ip, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    let received = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length >= 4) done(received.startsWith('SSH-'));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });

/** How to wait for reachability. */
export interface ReachableOptions {
  /** The address of each instance (undefined: none yet). */
  addressOf: (id: string) => Promise<string | undefined>;
  probe: SshProbe;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  port?: number;
  onProgress?: (line: string) => void;
}

/** Waits until every instance's SSH port answers; throws WaitError at the timeout. */
export async function waitForReachable(ids: string[], opts: ReachableOptions): Promise<void> {
  const port = opts.port ?? 22;
  const start = opts.now();
  const pending = new Set(ids);
  const addresses = new Map<string, string>();
  for (;;) {
    for (const id of [...pending]) {
      let ip = addresses.get(id);
      if (ip === undefined) {
        ip = await opts.addressOf(id);
        if (ip === undefined) continue;
        addresses.set(id, ip);
      }
      if (await opts.probe(ip, port, 2000)) {
        pending.delete(id);
        opts.onProgress?.(`${id}: ssh answers on ${ip}:${port} (${formatElapsed(opts.now() - start)})`);
      }
    }
    if (pending.size === 0) return;
    const left = opts.timeoutMs - (opts.now() - start);
    if (left <= 0) break;
    await opts.sleep(Math.min(1000, left));
  }
  const waiting = [...pending].map((id) => `${id} (${addresses.get(id) ?? 'no address'})`).join(', ');
  throw new WaitError(
    `timed out after ${formatElapsed(opts.timeoutMs)} waiting for SSH to answer on ${waiting}`,
  );
}
