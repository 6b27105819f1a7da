// Wire shapes and request schemas of the keypair operations (contract §2.1); no behaviour.
import { z } from 'zod';
import type { Filter, Paging } from './common.js';

/** A key pair as describeKeypairs lists it. */
export interface Keypair {
  keyName: string;
  /** MD5 fingerprint, colon-separated lower-case hex. */
  keyFingerprint: string;
  /** "YYYY-MM-DD HH:mm:ss". */
  createTime: string;
}

/** createKeypair body (the name rule is checked by the service, which words the error). */
export const createKeypairBody = z.object({ keyName: z.string().max(256) });
/** createKeypair body. */
export type CreateKeypairRequest = z.input<typeof createKeypairBody>;
/** createKeypair result: the PKCS#8 PEM private key, returned exactly once. */
export interface CreateKeypairResult {
  keyName: string;
  privateKey: string;
  keyFingerprint: string;
}

/** importKeypair body: OpenSSH public key text. */
export const importKeypairBody = z.object({
  keyName: z.string().max(256),
  publicKey: z.string().max(64 * 1024),
});
/** importKeypair body. */
export type ImportKeypairRequest = z.input<typeof importKeypairBody>;
/** importKeypair result. */
export interface ImportKeypairResult {
  keyName: string;
  keyFingerprint: string;
}

/** describeKeypairs query (filter `keyNames`). */
export interface DescribeKeypairsRequest extends Paging {
  filters?: Filter[];
}
/** describeKeypairs result. */
export interface DescribeKeypairsResult {
  keypairs: Keypair[];
  totalCount: number;
}
