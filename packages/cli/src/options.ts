// Option value parsers and the shared --wait/--timeout options; bad values are commander usage errors (exit 2).
import { InvalidArgumentError, type Command } from 'commander';

/** Parses a whole number ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/** Parses a number > 0. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('must be a number above 0');
  return n;
}

/** Allows only the listed values. */
export function oneOf<T extends string>(...allowed: T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}`);
    return value as T;
  };
}

/** The options every waiting command shares. */
export interface WaitFlags {
  wait?: boolean;
  timeout: number;
}

/** Adds `--wait` and `--timeout <seconds>` (default 600). */
export function withWait(cmd: Command, what: string): Command {
  return cmd
    .option('--wait', `wait until ${what}, showing status changes on stderr`)
    .option('--timeout <seconds>', 'give up waiting after this many seconds', positiveNumber, 600);
}
