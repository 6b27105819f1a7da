// Connects the authenticator's key cache to the database's access-key change feed, so a key
// disabled or deleted through any kumod stops working on every kumod as soon as the change commits.
import { listenForAccessKeyChanges, type AccessKeyListener } from '@kumo/store';
import type { Logger } from '../logger.js';
import type { Authenticator } from './authenticate.js';

/** Starts the feed; the authenticator trusts its cache only while the feed is live. */
export function startKeyFeed(
  databaseUrl: string,
  authenticator: Authenticator,
  log: Logger,
): Promise<AccessKeyListener> {
  return listenForAccessKeyChanges(databaseUrl, {
    changed: (accessKey) => authenticator.evict(accessKey),
    live: (up) => {
      authenticator.setFeedLive(up);
      if (!up) log.warn('access key change feed lost; reading keys from the database until it is back');
    },
    error: (err) => log.warn({ err: err.message }, 'access key change feed error'),
  });
}
