// Free TCP ports on loopback for tests and benches that start servers; it never binds them for long.

import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it, the probe socket closes,
 * and the caller hands it to the server it starts (a race with other processes is possible but rare).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      if (address === null || typeof address === 'string') return reject(new Error('no TCP address'));
      s.close(() => resolve(address.port));
    });
    s.on('error', reject);
  });
}
