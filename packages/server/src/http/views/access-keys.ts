// Wire shape of access keys: never the secret, which only the create response carries.
import type { AccessKeyInfo } from '@kumo/store';
import { formatJdTime } from './time.js';

/** The `accessKeys` result of describe*AccessKeys. */
export const keysView = (keys: AccessKeyInfo[]) => ({
  accessKeys: keys.map((k) => ({
    accessKey: k.accessKey,
    status: k.enabled ? 'enabled' : 'disabled',
    createTime: formatJdTime(k.createdAt),
  })),
  totalCount: keys.length,
});
