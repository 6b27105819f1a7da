// The `rbd` command as the rbd backend runs it: monitors, cephx user and a key file given on
// every call (no /etc/ceph is read), JSON output parsed, and Ceph's errno-style failures mapped
// to codes. Image and snapshot names are checked before they reach the command line.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from './errors.js';

/** How to reach the cluster. */
export interface CephAccess {
  monitors: readonly { host: string; port: number }[];
  user: string;
  /** The user's cephx key (base64, as `ceph auth print-key` prints it). */
  key: string;
}

/** A failed `rbd` call: its stderr and exit code. */
class RbdFailure extends Error {
  constructor(
    readonly stderr: string,
    readonly exitCode: number,
  ) {
    super(stderr.trim().split('\n').slice(-2).join(' ') || `rbd exited ${exitCode}`);
  }
}

/** Runs `rbd` against one cluster. */
export class RbdCli {
  private readonly dir: string;
  private readonly keyfile: string;
  private readonly monHost: string;

  constructor(private readonly access: CephAccess) {
    if (!/^[A-Za-z0-9+/=]+$/.test(access.key))
      throw new StorageError('INVALID_ARGUMENT', 'the cephx key is not base64');
    if (!/^[A-Za-z0-9_.-]+$/.test(access.user)) throw new StorageError('INVALID_ARGUMENT', 'bad cephx user');
    this.dir = mkdtempSync(join(tmpdir(), 'kumo-rbd-'));
    this.keyfile = join(this.dir, 'key');
    writeFileSync(this.keyfile, access.key, { mode: 0o600 });
    // msgr2's port (3300) is the only one the test cluster binds; say so, or librados tries v1 first.
    this.monHost = access.monitors
      .map((m) => (m.port === 3300 ? `v2:${m.host}:${m.port}` : `${m.host}:${m.port}`))
      .join(',');
  }

  /** Runs `rbd ARGS…`; resolves with stdout. */
  run(args: readonly string[], timeoutMs = 120_000): Promise<string> {
    return this.exec('rbd', args, timeoutMs);
  }

  /** Runs `ceph ARGS…` as the same user (what `profile rbd` allows: blocklisting a dead client). */
  ceph(args: readonly string[], timeoutMs = 60_000): Promise<string> {
    return this.exec('ceph', args, timeoutMs);
  }

  private exec(cmd: 'rbd' | 'ceph', args: readonly string[], timeoutMs: number): Promise<string> {
    const base = [
      '-c',
      '/dev/null',
      '--mon-host',
      this.monHost,
      '--id',
      this.access.user,
      '--keyfile',
      this.keyfile,
    ];
    return new Promise((resolve, reject) => {
      execFile(
        cmd,
        [...base, ...args],
        { timeout: timeoutMs, maxBuffer: 16 << 20 },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const code = typeof err.code === 'number' ? err.code : -1;
          reject(translate(new RbdFailure(String(stderr), code), [cmd, ...args]));
        },
      );
    });
  }

  /** Runs `rbd ARGS… --format json` and parses it. */
  async json<T>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.run([...args, '--format', 'json'])) as T;
  }

  /** Removes the key file. */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Ceph reports errno names in its messages; these are the ones callers act on. */
function translate(f: RbdFailure, args: readonly string[]): StorageError {
  const what = `${args.join(' ')}: ${f.message}`;
  const s = f.stderr;
  if (/No such file or directory|\(2\)/.test(s)) return new StorageError('NOT_FOUND', what);
  if (/has snapshots|children|Device or resource busy|\(16\)|\(39\)/.test(s))
    return new StorageError('HAS_DEPENDENTS', what);
  if (/timed out|Connection refused|\(110\)|\(111\)/.test(s)) return new StorageError('UNAVAILABLE', what);
  return new StorageError('FAILED', what);
}
