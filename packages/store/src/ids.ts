// Random identifiers in JD Cloud's shapes (prefix + lowercase alphanumerics).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Returns `len` random lowercase alphanumerics drawn without modulo bias. */
export function randomAlnum(len: number): string {
  let out = '';
  while (out.length < len) {
    for (const b of randomBytes(len * 2)) {
      // 252 = 7 * 36: bytes above it are dropped so every character is equally likely.
      if (b < 252 && out.length < len) out += ALPHABET[b % 36];
    }
  }
  return out;
}

/** A new id such as `acc-3kq8m2x9p0ab`. */
export function newId(prefix: string, len = 12): string {
  return `${prefix}-${randomAlnum(len)}`;
}
