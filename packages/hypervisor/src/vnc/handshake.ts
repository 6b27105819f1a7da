// The RFB (VNC) version and security phase, both sides. As a client of a guest's VNC server:
// version 3.8, then security None (a unix socket) or VNC Authentication (an address listener with
// the guest's password). As the server a browser talks to: security None, the browser having been
// authorised by its console token. Either stream stands just before ClientInit afterwards, so the
// two can simply be piped. Byte handling only; no policy.
import type { Duplex } from 'node:stream';
import { vncAuthResponse } from './des.js';

const NONE = 1;
const VNC_AUTH = 2;

/**
 * Reads exactly `n` bytes from a paused stream (rejects if it ends first or after `ms`); `peer`
 * names the other side in the errors.
 */
export function readExactly(s: Duplex, n: number, ms = 10_000, peer = 'the VNC server'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err?: Error) => {
      clearTimeout(timer);
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', onError);
      s.pause();
      if (err) return reject(err);
      if (buf.length > n) s.unshift(buf.subarray(n));
      resolve(buf.subarray(0, n));
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= n) done();
    };
    const onEnd = () => done(new Error(`${peer} closed the connection`));
    const onError = (e: Error) => done(e);
    const timer = setTimeout(() => done(new Error(`${peer} did not answer`)), ms);
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onError);
    s.resume();
  });
}

export async function rfbClientSecurity(s: Duplex, password: string | undefined): Promise<Duplex> {
  const version = (await readExactly(s, 12)).toString('latin1');
  if (!/^RFB 003\.00[378]\n$/.test(version)) throw new Error('not an RFB 3.x server');
  s.write('RFB 003.008\n');
  const count = (await readExactly(s, 1))[0]!;
  if (count === 0) throw new Error('the VNC server refused the connection');
  const types = await readExactly(s, count);
  const type = password !== undefined && types.includes(VNC_AUTH) ? VNC_AUTH : NONE;
  if (!types.includes(type)) throw new Error(`the VNC server offers no usable security type`);
  s.write(Buffer.from([type]));
  if (type === VNC_AUTH) s.write(vncAuthResponse(password!, await readExactly(s, 16)));
  if ((await readExactly(s, 4)).readUInt32BE(0) !== 0) throw new Error('VNC authentication failed');
  return s;
}

/** Runs the server side of RFB 3.3/3.7/3.8 version and security (None) with a browser. */
export async function rfbServerSecurity(browser: Duplex, timeoutMs = 10_000): Promise<void> {
  browser.write('RFB 003.008\n');
  const version = (await readExactly(browser, 12, timeoutMs, 'the browser')).toString('latin1');
  const minor = /^RFB 003\.(\d{3})\n$/.exec(version)?.[1];
  if (!minor) throw new Error('the browser does not speak RFB 3.x');
  if (Number(minor) < 7) {
    // 3.3: the server names the security type, and None has no result message.
    browser.write(Buffer.from([0, 0, 0, 1]));
    return;
  }
  browser.write(Buffer.from([1, 1]));
  if ((await readExactly(browser, 1, timeoutMs, 'the browser'))[0] !== 1)
    throw new Error('the browser chose no None');
  // 3.7 sends no SecurityResult for None; 3.8 does.
  if (Number(minor) >= 8) browser.write(Buffer.from([0, 0, 0, 0]));
}
