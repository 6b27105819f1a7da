// The image exchange's key rules, which keep each account to its own prefix: URLs of another
// bucket, dot segments, empty segments and unsafe characters are refused before any request.
import { describe, expect, test } from '@jest/globals';
import { ExchangeRefused, isExchangeKey, S3ImageExchange } from './image-exchange.js';

const ex = new S3ImageExchange({
  endpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  bucket: 'kumo-exchange',
  accessKeyId: 'AK',
  secretAccessKey: 'SK',
  partBytes: 5 * 2 ** 20,
});

describe('image exchange keys', () => {
  test('safe keys pass; dot segments, empty segments and odd characters do not', () => {
    for (const ok of ['alice/disk.qcow2', 'alice/in/v1.2/disk-1_(x).qcow2', "a/b!c*d'e"])
      expect(isExchangeKey(ok)).toBe(true);
    for (const bad of [
      '',
      '/alice/x',
      'alice//x',
      'alice/../bob/x',
      'alice/./x',
      'alice/..',
      'alice/x y',
      'alice/%2e%2e/x',
      'alice/x\u0000',
      `alice/${'x'.repeat(1024)}`,
    ])
      expect(isExchangeKey(bad)).toBe(false);
  });

  test('a URL names a key of this bucket only, and an account reaches its own prefix only', () => {
    expect(ex.keyOf('s3://kumo-exchange/alice/in/disk.qcow2')).toBe('alice/in/disk.qcow2');
    expect(() => ex.keyOf('s3://other/alice/disk.qcow2')).toThrow(ExchangeRefused);
    expect(() => ex.keyOf('s3://kumo-exchange')).toThrow('must be s3://<bucket>/<key>');
    expect(() => ex.keyOf('https://kumo-exchange/alice/x')).toThrow(ExchangeRefused);
    expect(ex.ownKey('alice/x.qcow2', 'alice')).toBe('alice/x.qcow2');
    expect(() => ex.ownKey('alicex/x.qcow2', 'alice')).toThrow('must be under alice/ in the bucket');
    expect(() => ex.ownKey('bob/x.qcow2', 'alice')).toThrow(ExchangeRefused);
    expect(ex.url('alice/x.qcow2')).toBe('s3://kumo-exchange/alice/x.qcow2');
  });
});
