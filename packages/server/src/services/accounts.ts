// Accounts: the admin created on first start (credentials written once, 0600) and accounts the
// admin creates for users.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from '@kumo/contract';
import { UniqueViolation, type Account, type AccountsModel } from '@kumo/store';

/** What a new account's owner needs to call the API. */
export interface Credentials {
  accessKey: string;
  secretKey: string;
  endpoint: string;
  regionId: string;
}

const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Account administration. */
export class AccountService {
  constructor(private readonly accounts: AccountsModel) {}

  /**
   * Creates the admin account if there is none and writes its credentials to
   * `dataDir/credentials.json` (0600). Returns the credentials only when they were just created.
   */
  async bootstrapAdmin(
    dataDir: string,
    endpoint: string,
    regionId: string,
  ): Promise<Credentials | undefined> {
    if (await this.accounts.findAdmin()) return undefined;
    let key;
    try {
      key = await this.accounts.create('admin', true);
    } catch (err) {
      // Another kumod bootstrapped the admin at the same moment: that one prints the key.
      if (err instanceof UniqueViolation) return undefined;
      throw err;
    }
    const creds = { accessKey: key.accessKey, secretKey: key.secretKey, endpoint, regionId };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'credentials.json'), JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
    return creds;
  }

  /** Creates a user account with its first access key. */
  async create(name: string) {
    if (!ACCOUNT_NAME.test(name))
      throw Errors.invalidParameter('name', 'use 1-64 letters, digits, "_" or "-"');
    try {
      const k = await this.accounts.create(name, false);
      return { accountId: k.account.id, name, accessKey: k.accessKey, secretKey: k.secretKey };
    } catch (err) {
      if (err instanceof UniqueViolation) throw Errors.accountNameInUse(name);
      throw err;
    }
  }

  /** Every account (never secrets). */
  list(): Promise<Account[]> {
    return this.accounts.list();
  }
}
