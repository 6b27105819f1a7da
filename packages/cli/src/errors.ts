// The CLI's exit codes and the one place errors become an exit code plus a stderr line.
import { KumoApiError, KumoConfigError, KumoUnreachableError } from '@kumo/client';

/** Process exit codes of the kumo command. */
export const ExitCode = {
  ok: 0,
  apiError: 1,
  usage: 2,
  config: 3,
  unreachable: 4,
} as const;

/** A mistake in how the command was invoked (bad option value, unreadable input file). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Ends the command with a given exit code and nothing more to say (e.g. ssh's own exit code). */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CommandExit';
  }
}

/** Maps any error to its exit code and the message to print on stderr. */
export function describeFailure(err: unknown): { code: number; message: string } {
  if (err instanceof KumoApiError) {
    const id = err.requestId ? ` (requestId ${err.requestId})` : '';
    return { code: ExitCode.apiError, message: `Error: ${err.status}: ${err.message}${id}` };
  }
  if (err instanceof CommandExit) return { code: err.code, message: '' };
  if (err instanceof UsageError) return { code: ExitCode.usage, message: `Error: ${err.message}` };
  if (err instanceof KumoConfigError) return { code: ExitCode.config, message: `Error: ${err.message}` };
  if (err instanceof KumoUnreachableError)
    return { code: ExitCode.unreachable, message: `Error: ${err.message}` };
  // Anything else is a local failure (e.g. writing --out); report it like an API-level failure.
  return { code: ExitCode.apiError, message: `Error: ${err instanceof Error ? err.message : String(err)}` };
}
