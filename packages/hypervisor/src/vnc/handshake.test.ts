// Both sides of RFB's version and security phase against each other over an in-memory stream pair:
// the client (kumod toward a guest) and the server (kumod toward a browser) agree on None, and
// what follows the handshake reaches the other side intact; a peer that is not RFB is refused.
import { Duplex, PassThrough } from 'node:stream';
import { expect, test } from '@jest/globals';
import { readExactly, rfbClientSecurity, rfbServerSecurity } from './handshake.js';

function pair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
}

test('the server side answers the client side with None, and ClientInit then flows through', async () => {
  const [browser, kumod] = pair();
  const [client] = await Promise.all([rfbClientSecurity(browser, undefined), rfbServerSecurity(kumod)]);
  client.write(Buffer.from([1])); // ClientInit: shared flag
  expect([...(await readExactly(kumod, 1))]).toEqual([1]);
});

test('a browser that does not speak RFB is refused, with the peer named', async () => {
  const [browser, kumod] = pair();
  const served = rfbServerSecurity(kumod, 2000);
  browser.write('GET / HTTP/1.1\r\n');
  await expect(served).rejects.toThrow('the browser does not speak RFB 3.x');
  const [, silent] = pair();
  await expect(rfbServerSecurity(silent, 50)).rejects.toThrow('the browser did not answer');
});
