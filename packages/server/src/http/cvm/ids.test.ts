// CVM ids map onto Kumo's both ways; anything else is Malformed, never a lookup.
import { cvmInstanceId, instanceIdOf, keyIdOf, keyNameOf } from './ids.js';

test('instances: ins-<12> is i-<12>', () => {
  expect(cvmInstanceId('i-abcdef012345')).toBe('ins-abcdef012345');
  expect(instanceIdOf('ins-abcdef012345')).toBe('i-abcdef012345');
});

test.each(['i-abcdef012345', 'ins-ABCDEF012345', 'ins-abc', 'ins-abcdef0123456', '', 'ins-abcdef01234%'])(
  'malformed instance id %p',
  (id) => {
    expect(() => instanceIdOf(id)).toThrow(expect.objectContaining({ code: 'InvalidInstanceId.Malformed' }));
  },
);

test('key pairs: skey-<name>', () => {
  expect(keyIdOf('web_key-1')).toBe('skey-web_key-1');
  expect(keyNameOf('skey-web_key-1')).toBe('web_key-1');
  for (const bad of ['web', 'skey-', 'skey-a b', `skey-${'x'.repeat(33)}`]) {
    expect(() => keyNameOf(bad)).toThrow(expect.objectContaining({ code: 'InvalidKeyPairId.Malformed' }));
  }
});
