// What every command gets: the global options, a lazily built client and the output streams.
// Credentials are loaded only when a command first needs the client, so --help never needs them.
import { spawn } from 'node:child_process';
import { constants as osConstants, homedir } from 'node:os';
import { KumoClient, loadCredentials } from '@kumo/client';
import { OUTPUT_FORMATS, type OutputFormat } from './format.js';
import { UsageError } from './errors.js';
import type { SshProbe } from './reachable.js';

/** Global options (`--output`, `--endpoint`, `--region`). */
export interface GlobalOptions {
  output?: string;
  endpoint?: string;
  region?: string;
}

/** Where output goes and how clients are made; replaced in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  makeClient: (opts: GlobalOptions) => KumoClient;
  /** Runs a program with the terminal inherited and resolves with its exit code (`kumo instance ssh`). */
  run?: (command: string, args: string[]) => Promise<number>;
  /** The user's home directory (for ~/.kumo); defaults to os.homedir(). */
  home?: string;
  /** Milliseconds on a monotonic clock and a sleep, for --wait; replaced in tests. */
  clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
  /** Whether a guest's SSH server answers, for --wait; replaced in tests. */
  probe?: SshProbe;
}

/** Runs `command` with stdio inherited; a signal death becomes 128 + signal number, like a shell. */
export function runInherited(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.on('exit', (code, signal) =>
      resolve(code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0)),
    );
  });
}

/** The real clock: performance.now() and setTimeout. */
export const realClock = {
  now: () => performance.now(),
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
};

/** The default client factory: credentials from loadCredentials, overridden by --endpoint/--region. */
export function defaultClient(opts: GlobalOptions): KumoClient {
  const creds = loadCredentials();
  return new KumoClient({
    endpoint: opts.endpoint ?? creds.endpoint,
    regionId: opts.region ?? creds.regionId,
    accessKey: creds.accessKey,
    secretKey: creds.secretKey,
    ...(creds.caFile !== undefined && { caFile: creds.caFile }),
  });
}

/** A command's view of the invocation. */
export class CommandContext {
  private client?: KumoClient;
  constructor(
    readonly io: CliIo,
    private readonly opts: GlobalOptions,
  ) {}

  /** The chosen output format; a bad value is a usage error. */
  get output(): OutputFormat {
    const o = this.opts.output ?? 'table';
    if (!(OUTPUT_FORMATS as readonly string[]).includes(o)) {
      throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}`);
    }
    return o as OutputFormat;
  }

  /** The client, built on first use. */
  getClient(): KumoClient {
    this.client ??= this.io.makeClient(this.opts);
    return this.client;
  }

  /** Writes text to stderr (progress, warnings). */
  note(text: string): void {
    this.io.stderr(text);
  }

  /** The home directory ~/.kumo lives in. */
  get home(): string {
    return this.io.home ?? homedir();
  }

  /** Writes text to stdout. */
  print(text: string): void {
    this.io.stdout(text);
  }
}
