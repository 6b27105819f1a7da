// The Tencent error table: catalogue errors map by their factory's name, the rest by JD status,
// and API 2.0's numeric codes follow from the Tencent code.
import { Errors } from './errors.js';
import { TencentErrors, tc2CodeOf, toTencentError } from './cvm-errors.js';

test.each([
  [Errors.instanceNotFound('i-x'), 'InvalidInstanceId.NotFound'],
  [Errors.conflictWithTask('stop'), 'OperationDenied.InstanceOperationInProgress'],
  [Errors.invalidInstanceStatus('stopped'), 'UnsupportedOperation.InstanceStateUnsupported'],
  [Errors.noCapacity('az', 't'), 'ResourceInsufficient.ZoneSoldOutForSpecifiedInstance'],
  [Errors.keyNameInUse('k'), 'InvalidKeyPairName.Duplicate'],
  [Errors.rateLimited('x'), 'RequestLimitExceeded'],
  // Not in the table: by JD status.
  [Errors.hostNotFound('h'), 'ResourceNotFound'],
  [Errors.lastAccessKey(), 'FailedOperation'],
])('%s → %s', (e, code) => {
  const t = toTencentError(e);
  expect([t.code, t.message]).toEqual([code, e.message]);
});

test('API 2.0 codes', () => {
  expect(tc2CodeOf(TencentErrors.signatureExpire().code)).toBe(4200);
  expect(tc2CodeOf(TencentErrors.signatureFailure().code)).toBe(4100);
  expect(tc2CodeOf(TencentErrors.nonceReplayed().code)).toBe(4500);
  expect(tc2CodeOf(TencentErrors.rateLimited('x').code)).toBe(4400);
  expect(tc2CodeOf(TencentErrors.missingParameter('x').code)).toBe(4000);
  expect(tc2CodeOf(TencentErrors.malformedInstanceId('x').code)).toBe(4000);
  expect(tc2CodeOf(TencentErrors.instanceNotFound('x').code)).toBe(5000);
  expect(tc2CodeOf(toTencentError(Errors.conflictWithTask('stop')).code)).toBe(5100);
  expect(tc2CodeOf(TencentErrors.internal().code)).toBe(6000);
});
