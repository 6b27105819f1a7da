// Tencent's official VPC and CBS SDK clients (from the `tencentcloud-sdk-nodejs` bundle, version
// 2017-03-12 of both) pointed at a kumod, like cvm-sdk.ts does for CVM.
import { cbs } from 'tencentcloud-sdk-nodejs/tencentcloud/services/cbs/index.js';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/index.js';
import type { Keys } from './cvm-sdk.js';

function options(endpoint: string, keys: Keys, region: string) {
  const u = new URL(endpoint);
  return {
    credential: { secretId: keys.accessKey, secretKey: keys.secretKey },
    region,
    profile: { httpProfile: { endpoint: u.host, protocol: `${u.protocol}//`, reqTimeout: 30 } },
  };
}

/** The SDK's VPC client for a kumod endpoint (`http://127.0.0.1:port`). */
export function vpcClient(endpoint: string, keys: Keys, region = 'local-1') {
  return new vpc.v20170312.Client(options(endpoint, keys, region));
}

/** The SDK's CBS client for a kumod endpoint. */
export function cbsClient(endpoint: string, keys: Keys, region = 'local-1') {
  return new cbs.v20170312.Client(options(endpoint, keys, region));
}
