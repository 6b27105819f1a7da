// The qcow2 checks of imported images: self-contained images pass with their virtual size; raw
// files, backing files, external data files and encryption are refused with a reason.
import { checkQcow2Header } from './qcow2-header.js';

function header(
  o: { version?: number; backing?: bigint; size?: bigint; crypt?: number; incompatible?: bigint } = {},
) {
  const b = Buffer.alloc(104);
  b.writeUInt32BE(0x514649fb, 0);
  b.writeUInt32BE(o.version ?? 3, 4);
  b.writeBigUInt64BE(o.backing ?? 0n, 8);
  b.writeBigUInt64BE(o.size ?? 2n ** 30n, 24);
  b.writeUInt32BE(o.crypt ?? 0, 32);
  b.writeBigUInt64BE(o.incompatible ?? 0n, 72);
  return b;
}

test('a self-contained qcow2 passes with its virtual size', () => {
  expect(checkQcow2Header(header())).toEqual({ version: 3, virtualBytes: 2 ** 30 });
  expect(checkQcow2Header(header({ version: 2 }).subarray(0, 72))).toEqual({
    version: 2,
    virtualBytes: 2 ** 30,
  });
});

test.each([
  ['a raw file', Buffer.alloc(512), 'not a qcow2 image'],
  ['a short file', Buffer.from('QFI'), 'not a qcow2 image'],
  ['version 4', header({ version: 4 }), 'qcow2 version 4 is not supported'],
  ['a backing file', header({ backing: 104n }), 'names a backing file'],
  ['encryption', header({ crypt: 2 }), 'encrypted'],
  ['an external data file', header({ incompatible: 4n }), 'external file'],
  ['a zero size', header({ size: 0n }), 'bad virtual size'],
  ['a truncated v3 header', header().subarray(0, 80), 'truncated'],
])('%s is refused', (_what, head, why) => {
  expect(() => checkQcow2Header(head)).toThrow(why);
});
