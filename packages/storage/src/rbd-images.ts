// Guest images in an rbd pool, once per image: the image's bytes (qcow2 converted to raw, as
// RBD disks are raw) are imported as `img-<sha256>` with a protected snapshot `base`, and root
// disks are copy-on-write clones of that snapshot — instant whatever the image's size, like
// Glance and Nova on Ceph. The import goes to a name of its own and is renamed into place only
// when whole, so a crash never leaves a partial base that clones would be made of.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { ImageOrigin } from './backend.js';
import { StorageError, isStorageError } from './errors.js';
import type { RbdCli } from './rbd-cli.js';

const run = promisify(execFile);

/** The snapshot of a base that clones are made of. */
export const BASE_SNAPSHOT = 'base';
const KEY = /^[0-9a-f]{64}$/;

/** The base image name of an image key. */
export function baseName(key: string): string {
  if (!KEY.test(key)) throw new StorageError('INVALID_ARGUMENT', 'an image key is a sha256 in hex');
  return `img-${key}`;
}

/** Whether a name in the pool is a base image or a leftover import (not a disk). */
export function isImageName(name: string): boolean {
  return /^img-[0-9a-f]{64}(\.part-[0-9a-f]+)?$/.test(name);
}

/** Makes the base of `origin` in `cephPool` unless it exists; returns `pool/img-…@base`. */
export async function ensureBase(
  rbd: RbdCli,
  cephPool: string,
  origin: ImageOrigin,
  onStep?: (step: string) => void,
): Promise<string> {
  const name = `${cephPool}/${baseName(origin.key)}`;
  const snap = `${name}@${BASE_SNAPSHOT}`;
  let snaps: { name: string; protected: string | boolean }[] | undefined;
  try {
    snaps = await rbd.json(['snap', 'ls', name]);
  } catch (err) {
    if (!isStorageError(err, 'NOT_FOUND')) throw err;
  }
  if (!snaps) {
    await importBase(rbd, name, origin, onStep);
    snaps = [];
  }
  const base = snaps.find((s) => s.name === BASE_SNAPSHOT);
  if (!base) await rbd.run(['snap', 'create', '--no-progress', snap]);
  if (String(base?.protected) !== 'true') await rbd.run(['snap', 'protect', snap]);
  return snap;
}

// Several kumods may import the same image at once: each to a part of its own; the first rename
// wins, and the others remove their part.
async function importBase(
  rbd: RbdCli,
  name: string,
  origin: ImageOrigin,
  onStep?: (step: string) => void,
): Promise<void> {
  await removeAbandonedParts(rbd, name);
  const dir = await mkdtemp(join(tmpdir(), 'kumo-rbd-image-'));
  const part = `${name}.part-${randomBytes(4).toString('hex')}`;
  try {
    const fetched = join(dir, `image.${origin.format}`);
    await pipeline(await origin.open(), createWriteStream(fetched));
    let raw = fetched;
    if (origin.format === 'qcow2') {
      raw = join(dir, 'image.raw');
      // A sparse raw file: `rbd import` skips its holes, so the pool holds only the data.
      await run('qemu-img', ['convert', '-q', '-f', 'qcow2', '-O', 'raw', fetched, raw], {
        timeout: 30 * 60_000,
      }).catch((err: Error) => {
        throw new StorageError('FAILED', `qemu-img could not convert the image: ${err.message}`);
      });
      await rm(fetched);
    }
    await rbd.run(['import', '--no-progress', raw, part], 30 * 60_000);
    onStep?.('image-imported');
    try {
      await rbd.run(['rename', part, name]);
    } catch (err) {
      await rbd.run(['rm', '--no-progress', part]).catch(() => undefined);
      // Another import got there first: its base is as good as ours.
      if (!(await exists(rbd, name))) throw err;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The keys of the bases in `cephPool` (parts of imports in flight are not bases). */
export async function listBases(rbd: RbdCli, cephPool: string): Promise<string[]> {
  const names = await rbd.json<string[]>(['ls', cephPool]);
  return names.flatMap((n) => /^img-([0-9a-f]{64})$/.exec(n)?.slice(1) ?? []).sort();
}

/**
 * Removes the base of `key` from `cephPool` unless a volume is still cloned from it: `in-use` then
 * (a clone made while this runs makes the unprotect fail, which also answers `in-use`).
 */
export async function removeBase(
  rbd: RbdCli,
  cephPool: string,
  key: string,
): Promise<'removed' | 'in-use' | 'absent'> {
  const name = `${cephPool}/${baseName(key)}`;
  const snap = `${name}@${BASE_SNAPSHOT}`;
  let snaps: { name: string; protected: string | boolean }[];
  try {
    snaps = await rbd.json(['snap', 'ls', name]);
  } catch (err) {
    if (isStorageError(err, 'NOT_FOUND')) return 'absent';
    throw err;
  }
  const base = snaps.find((s) => s.name === BASE_SNAPSHOT);
  try {
    if (base) {
      if ((await rbd.json<unknown[]>(['children', snap])).length > 0) return 'in-use';
      if (String(base.protected) === 'true') await rbd.run(['snap', 'unprotect', snap]);
      await rbd.run(['snap', 'rm', '--no-progress', snap]);
    }
    await rbd.run(['rm', '--no-progress', name]);
  } catch (err) {
    if (isStorageError(err, 'HAS_DEPENDENTS')) return 'in-use';
    if (isStorageError(err, 'NOT_FOUND')) return 'absent';
    throw err;
  }
  return 'removed';
}

/**
 * Writes image `name` (`pool/image`) as a qcow2 file at `out`: exported to a sparse raw file beside
 * it, converted, the raw file removed. The caller keeps the volume still (a stopped guest).
 */
export async function exportQcow2(rbd: RbdCli, name: string, out: string): Promise<string> {
  const raw = `${out}.raw`;
  try {
    await rm(raw, { force: true });
    await rbd.run(['export', '--no-progress', name, raw], 30 * 60_000);
    await run('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, out], {
      timeout: 30 * 60_000,
    }).catch((err: Error) => {
      throw new StorageError('FAILED', `qemu-img could not convert the disk: ${err.message}`);
    });
    return out;
  } finally {
    await rm(raw, { force: true });
  }
}

// Parts of a crashed import: nobody has them open (an import in flight holds a watch on its part).
async function removeAbandonedParts(rbd: RbdCli, name: string): Promise<void> {
  const [pool, image] = name.split('/') as [string, string];
  for (const n of await rbd.json<string[]>(['ls', pool])) {
    if (!n.startsWith(`${image}.part-`)) continue;
    const status = await rbd
      .json<{ watchers?: unknown[] }>(['status', `${pool}/${n}`])
      .catch(() => undefined);
    if (status && (status.watchers ?? []).length === 0)
      await rbd.run(['rm', '--no-progress', `${pool}/${n}`]).catch(() => undefined);
  }
}

async function exists(rbd: RbdCli, name: string): Promise<boolean> {
  try {
    await rbd.run(['info', name]);
    return true;
  } catch (err) {
    if (isStorageError(err, 'NOT_FOUND')) return false;
    throw err;
  }
}
