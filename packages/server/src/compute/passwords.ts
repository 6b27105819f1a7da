// Instance password rules (JD's) and hashing to crypt(3) SHA-512, the form cloud-init accepts.
// The clear-text password goes to openssl over stdin: never to argv, logs or the database.
import { execFile } from 'node:child_process';
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
