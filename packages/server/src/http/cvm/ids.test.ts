// CVM ids map onto Kumo's both ways; anything else is Malformed, never a lookup.
import { CBS_IDS, cvmInstanceId, instanceIdOf, keyIdOf, keyNameOf, VPC_IDS } from './ids.js';

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

test('VPC and CBS ids swap their prefix both ways; VPCs, subnets and groups keep theirs', () => {
  expect(VPC_IDS.address.out('fip-abcde12345')).toBe('eip-abcde12345');
  expect(VPC_IDS.address.in('AddressIds', 'eip-abcde12345')).toBe('fip-abcde12345');
  expect(VPC_IDS.networkInterface.in('X', 'eni-abcde12345')).toBe('port-abcde12345');
  expect(VPC_IDS.vpc.in('VpcId', 'vpc-abcde12345')).toBe('vpc-abcde12345');
  expect(CBS_IDS.disk.out('vol-abcde12345')).toBe('disk-abcde12345');
  expect(CBS_IDS.snapshot.in('SnapshotIds', 'snap-abcde12345')).toBe('snapshot-abcde12345');
});

test.each(['fip-abcde12345', 'eip-abcde1234', 'eip-ABCDE12345', 'eip-', ''])(
  'malformed address id %p',
  (id) => {
    expect(() => VPC_IDS.address.in('AddressIds', id)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue.Malformed' }),
    );
  },
);
