// The `local` image store against a real directory: the shared ImageStore contract, plus what is
// local's own — objects are files named by their hash, and a crash's temporary files go at open.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { LocalImageStore } from '../src/drivers/local-image-store.js';
import { imageStoreContract } from './image-store-contract.js';

let root: string;
let store: LocalImageStore;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kimg-local-'));
  store = LocalImageStore.open(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

imageStoreContract(
  () => store,
  (sha256, bytes) => writeFile(join(root, 'objects', sha256.slice(0, 2), sha256), bytes),
);

test('temporary files a crashed put left behind are removed when the store opens; fresh ones stay', () => {
  const stale = join(root, 'tmp', 'stale-put');
  const fresh = join(root, 'tmp', 'fresh-put');
  writeFileSync(stale, 'half an image');
  writeFileSync(fresh, 'a put in flight');
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(stale, hourAgo, hourAgo);
  LocalImageStore.open(root);
  expect(readdirSync(join(root, 'tmp'))).toEqual(['fresh-put']);
});
