// kumod's clock for billing: the system's, or (tests) the time written in a file, read on every
// call so a test moves time by rewriting the file. Nothing here runs timers.
import { readFileSync } from 'node:fs';

/** Where the current time comes from. */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();

/** A clock that reads an ISO 8601 time from `file` each time it is asked. */
export function fileClock(file: string): Clock {
  return () => {
    const raw = readFileSync(file, 'utf8').trim();
    const t = new Date(raw);
    if (Number.isNaN(t.getTime()))
      throw new Error(`KUMO_TEST_CLOCK_FILE ${file} holds "${raw.slice(0, 40)}", not a time`);
    return t;
  };
}
