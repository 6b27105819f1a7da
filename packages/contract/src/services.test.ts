import { serviceOfPath } from './services.js';

test('paths map to the JD service whose SDK signs them', () => {
  expect(serviceOfPath('/v1/regions/cn-north-1/instances')).toBe('vm');
  expect(serviceOfPath('/v1/regions/cn-north-1/instances/i-1:stopInstance')).toBe('vm');
  expect(serviceOfPath('/v1/regions/cn-north-1/subnets/')).toBe('vpc');
  expect(serviceOfPath('/v1/regions/cn-north-1/elasticIps/eip-1')).toBe('vpc');
  expect(serviceOfPath('/v1/regions/cn-north-1/disks')).toBe('disk');
  expect(serviceOfPath('/admin/v1/hosts')).toBe('vm');
});
