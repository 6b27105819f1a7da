// Who changes a key: self-service keeps an account from locking itself out; the admin may.
import type { Account } from '@kumo/store';
import type { KeyActor } from '../../../services/access-keys.js';

/** The caller acting on its own keys. */
export const self = (account: Account): KeyActor => ({ accountId: account.id, admin: false });

/** The admin acting on any account's keys. */
export const ADMIN: KeyActor = { accountId: '', admin: true };
