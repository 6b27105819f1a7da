// Unit tests of the Reverter.
import { expect, test } from '@jest/globals';
import { Reverter } from './reverter.js';

test('fail() undoes in reverse order and keeps going past a failing undo', async () => {
  const log: string[] = [];
  const r = new Reverter();
  r.add(() => void log.push('a'));
  r.add(() => {
    throw new Error('b failed');
  });
  r.add(async () => void log.push('c'));
  await r.fail();
  expect(log).toEqual(['c', 'a']);
  expect(r.undoErrors).toHaveLength(1);
  await r.fail();
  expect(log).toEqual(['c', 'a']);
});

test('success() makes fail() a no-op', async () => {
  const log: string[] = [];
  const r = new Reverter();
  try {
    r.add(() => void log.push('undo'));
    r.success();
  } finally {
    await r.fail();
  }
  expect(log).toEqual([]);
});
