// The RFB (VNC) security phase, as a client of a guest's VNC server: version 3.8, then security
// None (a unix socket) or VNC Authentication (an address listener with the guest's password). The
// stream it returns stands just before ClientInit, so the caller can hand it to any RFB client
// that it has taken through its own security phase. Byte handling only; no policy.
import type { Duplex } from 'node:stream';
import { vncAuthResponse } from './des.js';

const NONE = 1;
const VNC_AUTH = 2;

/** Reads exactly `n` bytes from a paused stream (rejects if it ends first or after `ms`). */
export function readExactly(s: Duplex, n: number, ms = 10_000): Promise<Buffer> {
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
    const onEnd = () => done(new Error('the VNC server closed the connection'));
    const onError = (e: Error) => done(e);
    const timer = setTimeout(() => done(new Error('the VNC server did not answer')), ms);
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onError);
    s.resume();
  });
}

/** Takes `s` through the server's version and security handshake; resolves with `s` itself. */
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
