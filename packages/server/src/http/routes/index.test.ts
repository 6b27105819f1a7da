// The route table as a whole: one route per operation and (service, method, path), every declared error exists in
// the catalogue, and every body schema is the contract's (the same object @kumo/client types).
import { describe, expect, test } from '@jest/globals';
import * as contract from '@kumo/contract';
import { serviceOf } from '../router.js';
import { routes } from './index.js';

describe('routes', () => {
  test('operations and method+path pairs are unique', () => {
    const ops = routes.map((r) => r.operation);
    expect(new Set(ops).size).toBe(ops.length);
    // JD's services share some paths (vm's and vpc's quotas): the signed service tells them apart.
    const paths = routes.map((r) => `${serviceOf(r)} ${r.method} ${r.path}`);
    expect(new Set(paths).size).toBe(paths.length);
  });

  test('every declared error is a factory of the catalogue, listed once', () => {
    for (const r of routes) {
      for (const e of r.errors) expect(typeof contract.Errors[e]).toBe('function');
      expect(new Set(r.errors).size).toBe(r.errors.length);
    }
  });

  test('every body schema comes from @kumo/contract', () => {
    const schemas = new Set<unknown>(
      Object.entries(contract)
        .filter(([k]) => k.endsWith('Body'))
        .map(([, v]) => v),
    );
    const withBody = routes.filter((r) => r.body);
    expect(withBody.length).toBeGreaterThan(10);
    for (const r of withBody) expect([r.operation, schemas.has(r.body)]).toEqual([r.operation, true]);
  });

  test('mutating instance operations declare the lifecycle refusals', () => {
    for (const op of [
      'startInstance',
      'stopInstance',
      'rebootInstance',
      'deleteInstance',
      'resizeInstance',
      'rebuildInstance',
    ]) {
      const r = routes.find((x) => x.operation === op)!;
      expect([op, r.errors]).toEqual([
        op,
        expect.arrayContaining(['instanceNotFound', 'conflictWithTask', 'invalidInstanceStatus']),
      ]);
    }
  });
});
