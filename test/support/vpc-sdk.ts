// Account keys for tests that drive kumod through JD's own SDKs instead of @kumo/client.
import type { KumodProcess } from './kumod.js';

/** Creates an account through the admin API and returns its access key and secret. */
export function createAccount(
  kumod: KumodProcess,
  name: string,
): Promise<{ accessKey: string; secretKey: string }> {
  return kumod
    .admin()
    .adminRequest<{ accessKey: string; secretKey: string }>('POST', '/accounts', { body: { name } });
}
