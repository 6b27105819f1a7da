// DES against the standard's published vectors, and the VNC key's bit reversal.
import { expect, test } from '@jest/globals';
import { desEncryptBlock, vncAuthResponse } from './des.js';

const hex = (s: string) => Buffer.from(s, 'hex');

test('DES encrypts the known-answer blocks', () => {
  expect(desEncryptBlock(hex('0123456789abcdef'), hex('0000000000000000')).toString('hex')).toBe(
    'd5d44ff720683d0d',
  );
  expect(desEncryptBlock(hex('133457799bbcdff1'), hex('0123456789abcdef')).toString('hex')).toBe(
    '85e813540f0ab405',
  );
});

test('the VNC response is DES under the bit-reversed, zero-padded password, block by block', () => {
  // 0x80 reversed is 0x01: a password of eight 0x80 bytes is the key 0101010101010101.
  const challenge = hex('00112233445566778899aabbccddeeff');
  const byHand = Buffer.concat([
    desEncryptBlock(hex('0101010101010101'), challenge.subarray(0, 8)),
    desEncryptBlock(hex('0101010101010101'), challenge.subarray(8)),
  ]);
  expect(vncAuthResponse('\x80'.repeat(8), challenge)).toEqual(byHand);
  expect(vncAuthResponse('\x80'.repeat(12), challenge)).toEqual(byHand);
});
