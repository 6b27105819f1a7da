// A dedicated connection that LISTENs for access-key changes. Notifications are delivered only
// while it is connected, so callers are told when it is (not) live and must not trust cached keys
// while it is not; it reconnects with a bounded backoff until closed.
import pg from 'pg';
import { ACCESS_KEY_CHANNEL } from './tables/access-keys.js';

/** What the listener reports. */
export interface AccessKeyListenerEvents {
  /** A key changed (disabled, enabled, deleted). */
  changed(accessKey: string): void;
  /** The connection is up (true) or lost (false); anything cached may be stale after a loss. */
  live(up: boolean): void;
  /** A connection error, for the log. */
  error(err: Error): void;
}

/** Stops a listener. */
export interface AccessKeyListener {
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 5_000;

/** Starts listening on `url`; resolves once the first attempt finished (connected or not). */
export async function listenForAccessKeyChanges(
  url: string,
  on: AccessKeyListenerEvents,
): Promise<AccessKeyListener> {
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backoff = 100;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === ACCESS_KEY_CHANNEL && n.payload) on.changed(n.payload);
    });
    c.on('error', (err) => on.error(err));
    c.on('end', () => {
      if (client !== c) return;
      client = undefined;
      on.live(false);
      schedule();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${ACCESS_KEY_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
      backoff = 100;
      on.live(true);
    } catch (err) {
      on.error(err as Error);
      await c.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void connect(), backoff);
    timer.unref();
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
