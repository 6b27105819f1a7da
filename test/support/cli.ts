// Runs the built `kumo` binary as a shell user would, for CLI tests: a clean environment, a HOME of
// the test's choosing, and the exit status, stdout and stderr captured.
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';

/** The built CLI entry point. */
export const KUMO = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/** One finished `kumo` run. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kumo args…` with only PATH, HOME and the given variables in its environment. */
export function runKumo(home: string, env: Record<string, string>, args: string[], timeoutMs = 20_000): Run {
  const r = spawnSync(process.execPath, [KUMO, ...args], {
    env: { PATH: process.env.PATH, HOME: home, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * runKumo without blocking this process: for commands that wait on something the test itself
 * serves (a file server in the test process must keep answering while the CLI waits).
 */
export function runKumoAsync(
  home: string,
  env: Record<string, string>,
  args: string[],
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [KUMO, ...args],
      { env: { PATH: process.env.PATH, HOME: home, ...env }, encoding: 'utf8', timeout: timeoutMs },
      (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

/** `kumo` runs sharing one HOME: `kumo(env, ...args)`. */
export function kumoIn(home: string): (env: Record<string, string>, ...args: string[]) => Run {
  return (env, ...args) => runKumo(home, env, args);
}

/** Asserts a run succeeded quietly and returns its stdout. */
export function ok(r: Run): string {
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return r.stdout;
}
