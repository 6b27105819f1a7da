// The image tables against a real PostgreSQL: who sees which image (public, own, shared — and as
// what), the filters of describeImages, deleteImage's atomic refusals, the settling of a pending
// image (only once), and the sweep that fails pending images whose createImage task is gone.
import {
  AccountsModel,
  ImageSharesModel,
  ImagesModel,
  Transactions,
  migrateLatest,
  openDatabase,
  type Database,
  type NewImage,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

let url: string;
let db: Database;
let images: ImagesModel;
let shares: ImageSharesModel;
let owner: string;
let member: string;
let stranger: string;

const image = (over: Partial<NewImage>): NewImage => ({
  regionId: 'r-1',
  ownerAccountId: null,
  name: 'img',
  description: '',
  imageSource: 'public',
  platform: 'Linux',
  osType: 'linux',
  osVersion: '1',
  architecture: 'x86_64',
  minDiskGB: 1,
  sizeBytes: 1,
  filesDir: '',
  manifest: { files: { root: { path: 'root.qcow2', bytes: 1, sha256: 'a'.repeat(64) } } },
  constraint: null,
  ...over,
});

beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url });
  await migrateLatest(db);
  images = new ImagesModel(db);
  shares = new ImageSharesModel(db);
  const accounts = new AccountsModel(db);
  owner = (await accounts.create('img-owner', false)).account.id;
  member = (await accounts.create('img-member', false)).account.id;
  stranger = (await accounts.create('img-stranger', false)).account.id;
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

test('public, own and shared images are visible, shared ones as `shared`; nothing else is', async () => {
  const pub = await images.create(image({ name: 'pub' }));
  const priv = await images.create(image({ name: 'priv', ownerAccountId: owner, imageSource: 'private' }));
  await new Transactions(db).run((trx) => shares.add(priv.id, [member], trx));
  expect((await images.find('r-1', owner, priv.id))?.imageSource).toBe('private');
  expect((await images.find('r-1', member, priv.id))?.imageSource).toBe('shared');
  expect(await images.find('r-1', stranger, priv.id)).toBeUndefined();
  expect(await images.find('r-2', owner, priv.id)).toBeUndefined();
  const ids = async (acc: string, source?: string) =>
    (await images.page('r-1', acc, source ? { imageSource: source } : {}, 0, 100)).items
      .map((i) => i.id)
      .sort();
  expect(await ids(member, 'shared')).toEqual([priv.id]);
  expect(await ids(member, 'private')).toEqual([]);
  expect(await ids(owner, 'private')).toEqual([priv.id]);
  expect(await ids(owner, 'shared')).toEqual([]);
  expect(await ids(stranger)).toEqual([pub.id]);
  expect(await shares.members(priv.id)).toEqual([
    { id: member, name: 'img-member', sharedAt: expect.any(Date) },
  ]);
  expect(await shares.count(priv.id)).toBe(1);

  // Shared: deleteImage refuses; unshared: it goes, with its record for the store cleanup.
  expect((await images.deleteUnlessUsed(priv.id)).r).toBe('shared');
  await shares.remove(priv.id, [member]);
  expect(await images.find('r-1', member, priv.id)).toBeUndefined();
  const gone = await images.deleteUnlessUsed(priv.id);
  expect(gone).toMatchObject({ r: 'deleted', record: { id: priv.id } });
  expect(await images.namesObject('a'.repeat(64))).toBe(true); // the public image still names it
  expect(await images.namesObject('b'.repeat(64))).toBe(false);
});

test('a pending image settles once (ready or error), and the sweep fails pending images without a task', async () => {
  const p = await images.create(
    image({ name: 'pend', ownerAccountId: owner, imageSource: 'private', status: 'pending', progress: 0 }),
  );
  expect((await images.deleteUnlessUsed(p.id)).r).toBe('pending');
  await images.setProgress(p.id, 42.7);
  expect((await images.get(p.id))?.progress).toBe(42);
  const manifest = { files: { root: { path: 'root.qcow2', bytes: 9, sha256: 'c'.repeat(64) } } };
  expect(await images.settle(p.id, { status: 'ready', manifest, sizeBytes: 9 })).toBe(true);
  expect(await images.settle(p.id, { status: 'error', reason: 'late' })).toBe(false);
  expect(await images.get(p.id)).toMatchObject({ status: 'ready', progress: 100, sizeBytes: 9, manifest });

  // Made from an instance that no longer runs the task for it: the sweep fails it, once.
  const orphan = await images.create(
    image({
      name: 'orph',
      ownerAccountId: owner,
      imageSource: 'private',
      status: 'pending',
      sourceInstanceId: 'i-gone',
    }),
  );
  expect(await images.failOrphanedPending()).toEqual([orphan.id]);
  expect(await images.get(orphan.id)).toMatchObject({
    status: 'error',
    errorReason: expect.stringContaining('ended'),
  });
  expect(await images.failOrphanedPending()).toEqual([]);
  expect(await images.countOwned('r-1', owner)).toBe(2);
});
