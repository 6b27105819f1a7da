// The browser's side of RFB's version and security phase, answered by kumod: the guest's VNC
// server was already authenticated to by the host driver (socket or password), and the browser
// was authorised by its single-use token, so the browser is offered security None. Afterwards the
// two streams continue at ClientInit and are simply piped. Byte handling only.
import type { Duplex } from 'node:stream';

/** Reads exactly `n` bytes from a paused stream, or rejects when it ends or `ms` pass. */
function readExactly(s: Duplex, n: number, ms: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err?: Error) => {
      clearTimeout(timer);
      s.off('data', onData);
      s.off('end', onEnd);
      s.pause();
      if (err) return reject(err);
      if (buf.length > n) s.unshift(buf.subarray(n));
      resolve(buf.subarray(0, n));
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= n) done();
    };
    const onEnd = () => done(new Error('the browser left during the handshake'));
    const timer = setTimeout(() => done(new Error('the browser did not answer the handshake')), ms);
    s.on('data', onData);
    s.once('end', onEnd);
    s.resume();
  });
}

/** Runs the server side of RFB 3.3/3.7/3.8 version and security (None) with the browser. */
export async function rfbServerSecurity(browser: Duplex, timeoutMs = 10_000): Promise<void> {
  browser.write('RFB 003.008\n');
  const version = (await readExactly(browser, 12, timeoutMs)).toString('latin1');
  const minor = /^RFB 003\.(\d{3})\n$/.exec(version)?.[1];
  if (!minor) throw new Error('the browser does not speak RFB 3.x');
  if (Number(minor) < 7) {
    // 3.3: the server names the security type, and None has no result message.
    browser.write(Buffer.from([0, 0, 0, 1]));
    return;
  }
  browser.write(Buffer.from([1, 1]));
  if ((await readExactly(browser, 1, timeoutMs))[0] !== 1) throw new Error('the browser chose no None');
  // 3.7 sends no SecurityResult for None; 3.8 does.
  if (Number(minor) >= 8) browser.write(Buffer.from([0, 0, 0, 0]));
}
