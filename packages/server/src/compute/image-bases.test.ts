import { describe, expect, it } from '@jest/globals';
import type { StorageBackend } from '../drivers/storage-backend.js';
import { createLogger } from '../logger.js';
import { removeUnnamedBases } from './image-bases.js';

const log = createLogger('silent');
const key = (c: string) => c.repeat(64);

// A backend's bases as a set, with the clones that keep one.
function backendWith(bases: string[], cloned: string[]) {
  const left = new Set(bases);
  const asked: string[] = [];
  const b = {
    listImageBases: () => Promise.resolve([...left].sort()),
    removeImageBase: (k: string) => {
      asked.push(k);
      if (!left.has(k)) return Promise.resolve('absent' as const);
      if (cloned.includes(k)) return Promise.resolve('in-use' as const);
      left.delete(k);
      return Promise.resolve('removed' as const);
    },
  };
  return { backend: b as unknown as StorageBackend, left, asked };
}

describe('removeUnnamedBases', () => {
  it('removes only bases no image names and nothing clones', async () => {
    const { backend, left, asked } = backendWith([key('a'), key('b'), key('c')], [key('c')]);
    const named = (k: string) => Promise.resolve(k === key('a'));
    expect(await removeUnnamedBases(backend, named, log)).toEqual([key('b')]);
    expect([...left].sort()).toEqual([key('a'), key('c')]);
    // A named base is never even asked about.
    expect(asked).toEqual([key('b'), key('c')]);
  });

  it('is a no-op on a backend without bases', async () => {
    const { backend, asked } = backendWith([], []);
    expect(await removeUnnamedBases(backend, () => Promise.resolve(false), log)).toEqual([]);
    expect(asked).toEqual([]);
  });
});
