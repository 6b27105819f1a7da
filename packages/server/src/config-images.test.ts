// The image store settings: `local` in the data directory by default, `s3` only with its endpoint,
// bucket and both keys; a refusal names the variable and never shows the secret key.
import { describe, expect, test } from '@jest/globals';
import { parseConfig } from './config.js';

describe('image store configuration', () => {
  test('defaults to the local store in the data directory', () => {
    expect(parseConfig({ KUMO_DATA_DIR: '/srv/kumo' }).imageStore).toEqual({
      driver: 'local',
      localDir: '/srv/kumo/image-store',
    });
  });

  test('s3 takes its endpoint, bucket, keys and part size', () => {
    const c = parseConfig({
      KUMO_IMAGE_STORE: 's3',
      KUMO_IMAGE_S3_ENDPOINT: 'http://10.0.0.5:7480',
      KUMO_IMAGE_S3_BUCKET: 'images-prod',
      KUMO_IMAGE_S3_ACCESS_KEY: 'AK',
      KUMO_IMAGE_S3_SECRET_KEY: 'very-secret',
      KUMO_IMAGE_S3_PART_MB: '64',
    }).imageStore;
    expect(c.s3).toEqual({
      endpoint: 'http://10.0.0.5:7480',
      region: 'us-east-1',
      bucket: 'images-prod',
      accessKeyId: 'AK',
      secretAccessKey: 'very-secret',
      partBytes: 64 * 2 ** 20,
    });
  });

  test('bad s3 settings stop kumod with the variable named and the secret unsaid', () => {
    const base = {
      KUMO_IMAGE_STORE: 's3',
      KUMO_IMAGE_S3_ENDPOINT: 'http://s3.local',
      KUMO_IMAGE_S3_SECRET_KEY: 'hunter2',
    };
    expect(() => parseConfig(base)).toThrow(/KUMO_IMAGE_S3_ACCESS_KEY/);
    expect(() => parseConfig(base)).not.toThrow(/hunter2/);
    expect(() => parseConfig({ ...base, KUMO_IMAGE_S3_ENDPOINT: 'ftp://x' })).toThrow(
      /KUMO_IMAGE_S3_ENDPOINT/,
    );
    expect(() =>
      parseConfig({ ...base, KUMO_IMAGE_S3_ACCESS_KEY: 'AK', KUMO_IMAGE_S3_PART_MB: '1' }),
    ).toThrow(/KUMO_IMAGE_S3_PART_MB/);
    expect(() => parseConfig({ KUMO_IMAGE_STORE: 'Not A Driver' })).toThrow(/KUMO_IMAGE_STORE/);
  });

  test('the exchange bucket uses the S3 endpoint and keys, beside either store', () => {
    const s3 = {
      KUMO_IMAGE_S3_ENDPOINT: 'http://10.0.0.5:7480',
      KUMO_IMAGE_S3_ACCESS_KEY: 'AK',
      KUMO_IMAGE_S3_SECRET_KEY: 'very-secret',
    };
    const local = parseConfig({ ...s3, KUMO_IMAGE_EXCHANGE_BUCKET: 'kumo-exchange' }).imageStore;
    expect(local).toMatchObject({
      driver: 'local',
      exchange: { bucket: 'kumo-exchange', accessKeyId: 'AK' },
    });
    expect(local.s3).toBeUndefined();
    expect(parseConfig(s3).imageStore.exchange).toBeUndefined();
    expect(() => parseConfig({ KUMO_IMAGE_EXCHANGE_BUCKET: 'kumo-exchange' })).toThrow(
      /KUMO_IMAGE_S3_ENDPOINT/,
    );
    expect(() =>
      parseConfig({ ...s3, KUMO_IMAGE_EXCHANGE_BUCKET: 'kumo-exchange', KUMO_IMAGE_S3_SECRET_KEY: '' }),
    ).toThrow(/KUMO_IMAGE_EXCHANGE_BUCKET needs KUMO_IMAGE_S3_ACCESS_KEY/);
    expect(() => parseConfig({ ...s3, KUMO_IMAGE_EXCHANGE_BUCKET: 'Bad_Bucket' })).toThrow(
      /KUMO_IMAGE_EXCHANGE_BUCKET must be/,
    );
    // Users name exchange objects: they must never land among the store's hash-named ones.
    expect(() =>
      parseConfig({ ...s3, KUMO_IMAGE_STORE: 's3', KUMO_IMAGE_EXCHANGE_BUCKET: 'kumo-images' }),
    ).toThrow(/must not be the image store bucket/);
  });

  test('import URLs reach public addresses only, plus the CIDRs the operator lists', () => {
    expect(parseConfig({}).imageImport).toEqual({ allowCidrs: [] });
    expect(
      parseConfig({ KUMO_IMAGE_IMPORT_ALLOW_CIDRS: '10.20.0.0/16, 127.0.0.0/8,fd00::/8' }).imageImport,
    ).toEqual({ allowCidrs: ['10.20.0.0/16', '127.0.0.0/8', 'fd00::/8'] });
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '300.1.1.1/8', 'mirror.example/24'])
      expect(() => parseConfig({ KUMO_IMAGE_IMPORT_ALLOW_CIDRS: bad })).toThrow(
        /KUMO_IMAGE_IMPORT_ALLOW_CIDRS/,
      );
  });
});
