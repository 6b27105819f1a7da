// Unit tests of message framing and value encoding: messages split at every byte, strings holding
// braces and escapes, UTF-8 cut mid-character, the size bound, and OVSDB's atom/set/map shapes.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { atomsOf, map, namedUuid, optionalOf, recordOf, set, stringsOf, uuid, uuidOf } from './datum.js';
import { parseEndpoint } from './endpoint.js';
import { ClientErrorKind, OvsdbClientError } from './errors.js';
import { MessageDecoder, classify } from './framing.js';

const enc = (m: unknown) => Buffer.from(JSON.stringify(m));

describe('MessageDecoder', () => {
  it('returns back-to-back messages from one chunk', () => {
    const d = new MessageDecoder();
    const bytes = Buffer.concat([
      enc({ id: 1, result: [] }),
      Buffer.from('\n'),
      enc({ id: null, method: 'update', params: [] }),
    ]);
    expect(d.push(bytes)).toEqual([
      { id: 1, result: [] },
      { id: null, method: 'update', params: [] },
    ]);
    expect(d.pendingBytes).toBe(0);
  });

  it('reassembles any message split at any points, strings with braces, escapes and UTF-8 included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()))), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (msgs, cuts) => {
          const withTricky = msgs.map((m, i) => ({ ...m, s: `}{"\\ é ☃ ${i} [`, id: i }));
          const all = Buffer.concat(withTricky.map(enc));
          const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
          const d = new MessageDecoder();
          const out: unknown[] = [];
          let last = 0;
          for (const p of [...points, all.length]) {
            out.push(...d.push(all.subarray(last, p)));
            last = p;
          }
          expect(out).toEqual(withTricky);
        },
      ),
    );
  });

  it('refuses a message over the bound instead of buffering it', () => {
    const d = new MessageDecoder(64);
    expect(() => d.push(Buffer.from(`{"a":"${'x'.repeat(100)}`))).toThrow(/exceeds 64 bytes/);
  });

  it('refuses bytes that cannot start a message', () => {
    expect(() => new MessageDecoder().push(Buffer.from('[1]'))).toThrow(OvsdbClientError);
  });

  it('classifies requests, notifications and responses; refuses other shapes', () => {
    expect(classify({ id: 'x', method: 'echo', params: [] })).toEqual({
      kind: 'request',
      id: 'x',
      method: 'echo',
      params: [],
    });
    expect(classify({ id: 3, result: null, error: 'e' })).toMatchObject({
      kind: 'response',
      id: 3,
      error: 'e',
    });
    expect(() => classify({ id: 1, method: 'echo', params: 'no' })).toThrow(/params/);
    expect(() => classify({ hello: 1 })).toThrow(OvsdbClientError);
  });
});

describe('datum encoding', () => {
  const u = '1c7a5f5e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

  it('writes atoms, sets and maps as RFC 7047 does', () => {
    expect(uuid(u)).toEqual(['uuid', u]);
    expect(namedUuid('row1')).toEqual(['named-uuid', 'row1']);
    expect(set(['a', 1])).toEqual(['set', ['a', 1]]);
    expect(map({ a: 'x', b: undefined, c: 2 })).toEqual([
      'map',
      [
        ['a', 'x'],
        ['c', 2],
      ],
    ]);
  });

  it('refuses malformed UUIDs and uuid-names', () => {
    expect(() => uuid('not-a-uuid')).toThrow(TypeError);
    expect(() => namedUuid('1bad')).toThrow(TypeError);
    expect(() => namedUuid('a-b')).toThrow(TypeError);
  });

  it('reads sets written either way, optional columns and maps', () => {
    expect(atomsOf('x')).toEqual(['x']);
    expect(stringsOf(['set', ['a', 'b']])).toEqual(['a', 'b']);
    expect(optionalOf(['set', []])).toBeUndefined();
    expect(optionalOf(true)).toBe(true);
    expect(uuidOf(['uuid', u])).toBe(u);
    expect(() => uuidOf('x')).toThrow(TypeError);
    expect(
      recordOf([
        'map',
        [
          ['k', 'v'],
          ['n', 5],
        ],
      ]),
    ).toEqual({ k: 'v', n: '5' });
  });
});

describe('parseEndpoint', () => {
  it('parses the three forms OVS writes', () => {
    expect(parseEndpoint('unix:/run/ovn/ovnnb_db.sock')).toEqual({
      kind: 'unix',
      path: '/run/ovn/ovnnb_db.sock',
    });
    expect(parseEndpoint('tcp:127.0.0.1:6641')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 6641 });
    expect(parseEndpoint('ssl:[fd00::1]:6641')).toEqual({ kind: 'ssl', host: 'fd00::1', port: 6641 });
  });

  it.each(['unix:', 'tcp:host', 'ssl:h:0', 'tcp:h:70000', 'http://x', 'tcp:a b:1'])('refuses %s', (s) => {
    expect(() => parseEndpoint(s)).toThrow(expect.objectContaining({ kind: ClientErrorKind.BAD_ENDPOINT }));
  });
});
