// Starts a server process (kumod, a bench baseline) and waits, bounded, until it is ready: for tests
// and benches. Output is kept in memory, or in a file when a bench must not pay for buffering it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** How to start a server and tell when it is ready. */
export interface ServerOptions {
  /** node arguments (script first, unless node flags precede it). */
  args: string[];
  env: Record<string, string | undefined>;
  /** Whether it serves yet, given its output so far (polled every 50 ms). */
  ready: (output: string) => boolean | Promise<boolean>;
  /** Send stdout and stderr to this file instead of memory (a bench's long runs). */
  logFile?: string;
  timeoutMs?: number;
}

/** A started server process. */
export interface ServerProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far, interleaved as it arrived. */
  output(): string;
  /** Only stdout (empty when output goes to a log file). */
  stdout(): string;
  /** Only stderr (empty when output goes to a log file). */
  stderr(): string;
  /** SIGTERM (so kumod stops its embedded PostgreSQL too) and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

// Every server still running when this process exits is killed: a kumod a test forgot to stop must
// not outlive it (one left running on the guest tier's shared OVN database removes every later
// test's network objects as orphans).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Spawns `node …args` and resolves once `ready` says so; kills it and rejects on exit or timeout. */
export async function startServer(o: ServerOptions): Promise<ServerProcess> {
  const fd = o.logFile === undefined ? undefined : openSync(o.logFile, 'w');
  const child = spawn(process.execPath, o.args, {
    env: o.env,
    stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
  });
  if (fd !== undefined) closeSync(fd); // the child holds its own copy
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
    stderr += d.toString();
  });
  const output = () => (o.logFile === undefined ? out : readFileSync(o.logFile, 'utf8'));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  const name = o.args.find((a) => !a.startsWith('-')) ?? 'node';
  const timeoutMs = o.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (!(await o.ready(output()))) {
    if (gone) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start in ${timeoutMs / 1000} s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output, stdout: () => stdout, stderr: () => stderr, stop };
}

/** Whether `url` answers 200 (false while nothing listens yet). */
export async function answersOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
