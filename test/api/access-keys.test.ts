// Access keys: an account creates, lists, disables, re-enables and deletes its own keys; the admin
// manages any account's; a key disabled or deleted through one kumod is refused by another kumod on
// the same database at once, although that kumod had just cached it.
import type { KumoClient } from '@kumo/client';
import { KumoApiError } from '@kumo/client';
import {
  clientFor,
  newAccount,
  removeDataDir,
  startKumod,
  startKumodOnTestDatabase,
  type KumodProcess,
  type TestKumod,
} from '../support/kumod.js';

let a: TestKumod;
let b: KumodProcess;

beforeAll(async () => {
  a = await startKumodOnTestDatabase();
  b = await startKumod({ DATABASE_URL: a.dbUrl }, { adminCredentials: a.credentials });
});
afterAll(async () => {
  await b?.stop();
  if (b) removeDataDir(b.dataDir);
  await a?.cleanup();
});

interface Created {
  accessKey: string;
  secretKey: string;
}
interface Listed {
  accessKeys: { accessKey: string; status: string; createTime: string }[];
  totalCount: number;
}

const whoAmI = (c: KumoClient) => c.describeKeypairs();

/**
 * Milliseconds until `call` is refused with 401 (or accepted), polling every 25 ms for up to 3 s;
 * another kumod learns of a key change asynchronously, through its LISTEN connection.
 */
async function settlesWithin(call: () => Promise<unknown>, want: 'refused' | 'accepted'): Promise<number> {
  const start = Date.now();
  for (;;) {
    const outcome = await call().then(
      () => 'accepted',
      (e: unknown) => (e instanceof KumoApiError && e.httpStatus === 401 ? 'refused' : Promise.reject(e)),
    );
    if (outcome === want || Date.now() - start > 3000) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function apiError(p: Promise<unknown>): Promise<KumoApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KumoApiError);
  return err as KumoApiError;
}

test('self-service keys: create, use on another kumod, disable there at once, enable, delete', async () => {
  const user = await newAccount(a, 'keys-self');
  const made = await user.request<Created>('POST', '/v1/accessKeys', { body: {} });
  expect(made.accessKey).toMatch(/^AK[A-Z0-9]{30}$/);
  expect(made.secretKey).toHaveLength(40);

  const listed = await user.request<Listed>('GET', '/v1/accessKeys');
  expect(listed.totalCount).toBe(2);
  expect(listed.accessKeys.map((k) => k.status)).toEqual(['enabled', 'enabled']);
  expect(JSON.stringify(listed)).not.toContain(made.secretKey);

  // kumod b serves (and caches) the new key ...
  const onB = clientFor(b.endpoint, made);
  await whoAmI(onB);
  // ... and refuses it as soon as kumod a's change commits and its notification arrives: well
  // under a second, where a cache alone would keep serving the key for its 60 s.
  await user.request('POST', `/v1/accessKeys/${made.accessKey}:disable`, { body: {} });
  expect(await settlesWithin(() => whoAmI(onB), 'refused')).toBeLessThan(1000);
  expect((await user.request<Listed>('GET', '/v1/accessKeys')).accessKeys[1]!.status).toBe('disabled');

  await user.request('POST', `/v1/accessKeys/${made.accessKey}:enable`, { body: {} });
  expect(await settlesWithin(() => whoAmI(onB), 'accepted')).toBeLessThan(1000);
  await user.request('DELETE', `/v1/accessKeys/${made.accessKey}`);
  expect(await settlesWithin(() => whoAmI(onB), 'refused')).toBeLessThan(1000);
  expect((await user.request<Listed>('GET', '/v1/accessKeys')).totalCount).toBe(1);
});

test('an account cannot lock itself out, exceed five keys, or touch another account’s key', async () => {
  const user = await newAccount(a, 'keys-guard');
  const other = await newAccount(a, 'keys-other');
  const [only] = (await user.request<Listed>('GET', '/v1/accessKeys')).accessKeys;
  const last = await apiError(
    user.request('POST', `/v1/accessKeys/${only!.accessKey}:disable`, { body: {} }),
  );
  expect([last.httpStatus, last.status]).toEqual([400, 'FAILED_PRECONDITION']);
  expect((await apiError(user.request('DELETE', `/v1/accessKeys/${only!.accessKey}`))).httpStatus).toBe(400);
  await whoAmI(user);

  for (let i = 0; i < 4; i++) await user.request('POST', '/v1/accessKeys', { body: {} });
  const full = await apiError(user.request('POST', '/v1/accessKeys', { body: {} }));
  expect([full.httpStatus, full.status]).toEqual([429, 'QUOTA_EXCEEDED']);

  // Another account's key is not found, and stays usable.
  const [theirs] = (await other.request<Listed>('GET', '/v1/accessKeys')).accessKeys;
  const hidden = await apiError(
    user.request('POST', `/v1/accessKeys/${theirs!.accessKey}:disable`, { body: {} }),
  );
  expect([hidden.httpStatus, hidden.status]).toEqual([404, 'NOT_FOUND']);
  expect((await apiError(user.request('DELETE', `/v1/accessKeys/${theirs!.accessKey}`))).httpStatus).toBe(
    404,
  );
  await whoAmI(other);
});

test('the admin manages any account’s keys and can lock a tenant out; users cannot use the admin paths', async () => {
  const user = await newAccount(a, 'keys-admin');
  const { accounts } = await a
    .admin()
    .adminRequest<{ accounts: { accountId: string; name: string }[] }>('GET', '/accounts');
  const id = accounts.find((x) => x.name === 'keys-admin')!.accountId;
  const made = await a.admin().adminRequest<Created>('POST', `/accounts/${id}/accessKeys`, { body: {} });
  await whoAmI(clientFor(b.endpoint, made));
  const listed = await a.admin().adminRequest<Listed>('GET', `/accounts/${id}/accessKeys`);
  expect(listed.totalCount).toBe(2);

  const denied = await apiError(user.adminRequest('GET', `/accounts/${id}/accessKeys`));
  expect(denied.httpStatus).toBe(403);

  // Disabling every key of the account is the admin's right: the tenant is locked out everywhere.
  for (const k of listed.accessKeys)
    await a.admin().adminRequest('POST', `/accounts/${id}/accessKeys/${k.accessKey}:disable`, { body: {} });
  expect((await apiError(whoAmI(user))).httpStatus).toBe(401);
  expect(await settlesWithin(() => whoAmI(clientFor(b.endpoint, made)), 'refused')).toBeLessThan(1000);
  const missing = await apiError(a.admin().adminRequest('GET', '/accounts/acc-nosuchaccount/accessKeys'));
  expect(missing.httpStatus).toBe(404);
});
