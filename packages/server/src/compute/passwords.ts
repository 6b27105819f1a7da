// Instance password rules (JD's) and hashing to crypt(3) SHA-512, the form cloud-init accepts.
// The clear-text password goes to openssl over stdin: never to argv, logs or the database.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Errors } from '@kumo/contract';

const SPECIAL = /[()`~!@#$%&_\-+={}[\]:";'<>,.?/*|]/;

/** Throws INVALID_ARGUMENT unless the password follows JD's rule (8–30 chars, 3 of 4 classes). */
export function checkPassword(password: string): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, SPECIAL].filter((r) => r.test(password)).length;
  const allowed = /^[A-Za-z0-9()`~!@#$%&_\-+={}[\]:";'<>,.?/*|]{8,30}$/.test(password);
  if (!allowed || classes < 3) throw Errors.invalidPassword();
}

/** Hashes a password as `$6$salt$…` with `openssl passwd -6`. */
export function hashPassword(password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', ['passwd', '-6', '-stdin'], { timeout: 10_000 }, (err, stdout) => {
      if (err) return reject(new Error('password hashing failed', { cause: err }));
      const hash = stdout.trim();
      if (!/^\$6\$[^\s]+$/.test(hash)) return reject(new Error('password hashing gave an unexpected result'));
      resolve(hash);
    });
    child.stdin?.end(`${password}\n`);
  });
}

/**
 * An instance's VNC password: HMAC-SHA256 of its id under the master key, 8 characters (VNC's
 * limit). Derived, never stored: every kumod computes the same one, and the designer puts it only
 * on address listeners (a unix socket needs none).
 */
export function vncPasswordFor(masterKey: Buffer, instanceId: string): string {
  return createHmac('sha256', masterKey).update(`vnc:${instanceId}`).digest('base64url').slice(0, 8);
}
