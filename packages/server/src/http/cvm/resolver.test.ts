// Which action a request reaches: the signed scope's service first, else the one action of that
// name; a name several services share needs the scope, and an unknown one is InvalidAction.
import { z } from 'zod';
import type { CvmAction, TencentService } from './action.js';
import { actionResolver } from './endpoint.js';

const act = (action: string, service?: TencentService): CvmAction => ({
  action,
  ...(service ? { service } : {}),
  operation: action,
  params: z.strictObject({}),
  handle: () => Promise.resolve({}),
});

const resolve = actionResolver([
  act('DescribeVpcs', 'vpc'),
  act('Shared'),
  act('Shared', 'cbs'),
  act('RunInstances'),
]);

test('an action only one service has is served whatever the scope names', () => {
  expect(resolve('127', 'DescribeVpcs').service).toBe('vpc');
  expect(resolve('cvm', 'DescribeVpcs').service).toBe('vpc');
  expect(resolve('127', 'RunInstances').action).toBe('RunInstances');
});

test('a shared name goes to the service the scope names, and is refused without one', () => {
  expect(resolve('cbs', 'Shared').service).toBe('cbs');
  expect(resolve('CVM', 'Shared').service).toBeUndefined();
  expect(() => resolve('127', 'Shared')).toThrow(expect.objectContaining({ code: 'InvalidAction' }));
  expect(() => resolve('vpc', 'Nope')).toThrow(expect.objectContaining({ code: 'InvalidAction' }));
});
