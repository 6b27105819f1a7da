// SSH reachability of guests for benches and tests: one login attempt, and a poll of attempts. It runs
// no command but `true` and trusts any host key (guests are throw-away and reached only in namespaces).
import ssh2 from 'ssh2';

const { Client } = ssh2;

/** Whether `user` can log in to `host` with `privateKey` and run `true` (false on any failure). */
export function sshLoginWorks(host: string, user: string, privateKey: string | Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const c = new Client();
    const done = (ok: boolean) => {
      c.end();
      resolve(ok);
    };
    c.on('ready', () =>
      c.exec('true', (err, s) => (err ? done(false) : s.on('close', () => done(true)).resume())),
    );
    c.on('error', () => done(false));
    c.connect({ host, username: user, privateKey, readyTimeout: 4000, hostVerifier: () => true });
  });
}

/**
 * Tries a login every `intervalMs` until one works; rejects after `timeoutMs`. Benches use the same
 * poll for every path they compare, so the poll's own cost cancels out.
 */
export async function pollSsh(
  host: string,
  user: string,
  privateKey: string | Buffer,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await sshLoginWorks(host, user, privateKey)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`no SSH login on ${host} in ${timeoutMs} ms`);
}
