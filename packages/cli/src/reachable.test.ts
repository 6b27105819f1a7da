import { createServer, type Server } from 'node:net';
import { sshBannerProbe, waitForReachable, type SshProbe } from './reachable.js';
import { WaitError } from './wait.js';

function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('waitForReachable', () => {
  it('waits until each instance has an address and its SSH server answers', async () => {
    const clock = fakeClock();
    const answersAt = new Map([
      ['10.0.0.5', 3000],
      ['10.0.0.6', 7000],
    ]);
    const probe: SshProbe = async (ip) => clock.now() >= (answersAt.get(ip) ?? Infinity);
    const lines: string[] = [];
    await waitForReachable(['i-a', 'i-b'], {
      // i-b has no address until 2 s in.
      addressOf: async (id) => (id === 'i-a' ? '10.0.0.5' : clock.now() >= 2000 ? '10.0.0.6' : undefined),
      probe,
      ...clock,
      timeoutMs: 60_000,
      onProgress: (l) => lines.push(l),
    });
    expect(lines).toEqual([
      'i-a: ssh answers on 10.0.0.5:22 (3.0 s)',
      'i-b: ssh answers on 10.0.0.6:22 (7.0 s)',
    ]);
  });

  it('gives up at the timeout naming what it waited for', async () => {
    const clock = fakeClock();
    const wait = waitForReachable(['i-a'], {
      addressOf: async () => '10.0.0.5',
      probe: async () => false,
      ...clock,
      timeoutMs: 5000,
    });
    await expect(wait).rejects.toThrow(WaitError);
    await expect(wait).rejects.toThrow('waiting for SSH to answer on i-a (10.0.0.5)');
    expect(clock.now()).toBe(5000);
  });
});

describe('sshBannerProbe', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function listen(greeting: string): Promise<number> {
    server = createServer((s) => s.end(greeting));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    if (typeof addr !== 'object' || !addr) throw new Error('no address');
    return addr.port;
  }

  it('accepts an SSH identification string', async () => {
    expect(await sshBannerProbe('127.0.0.1', await listen('SSH-2.0-dropbear\r\n'), 2000)).toBe(true);
  });
  it('rejects a server that is not SSH and a closed port', async () => {
    expect(await sshBannerProbe('127.0.0.1', await listen('HTTP/1.1 400\r\n'), 2000)).toBe(false);
    const port = server!.address() as { port: number };
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    expect(await sshBannerProbe('127.0.0.1', port.port, 2000)).toBe(false);
  });
});
