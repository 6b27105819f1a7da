import type { Route } from './route.js';
import { Router } from './router.js';

const route = (operation: string, method: string, path: string) =>
  ({ operation, method, path, handle: async () => undefined }) as unknown as Route;

const router = new Router([
  route('describeSubnets', 'GET', '/v1/regions/{regionId}/subnets'),
  route('describeInstance', 'GET', '/v1/regions/{regionId}/instances/{instanceId}'),
  route('stopInstance', 'POST', '/v1/regions/{regionId}/instances/{instanceId}:stopInstance'),
]);

describe('Router', () => {
  it('routes a collection path with the trailing slash JD SDKs send', () => {
    for (const path of ['/v1/regions/r-1/subnets', '/v1/regions/r-1/subnets/']) {
      const m = router.match('GET', path);
      expect(m.route.operation).toBe('describeSubnets');
      expect(m.params).toEqual({ regionId: 'r-1' });
    }
  });

  it('never turns a trailing slash into an empty id or a second slash into a match', () => {
    expect(() => router.match('GET', '/v1/regions/r-1/instances/')).toThrow();
    expect(() => router.match('GET', '/v1/regions/r-1/subnets//')).toThrow();
  });

  it('routes colon actions raw or percent-encoded, and keeps an encoded slash inside a segment', () => {
    expect(router.match('POST', '/v1/regions/r-1/instances/i-1:stopInstance').params.instanceId).toBe('i-1');
    expect(router.match('POST', '/v1/regions/r-1/instances/i-1%3AstopInstance').route.operation).toBe(
      'stopInstance',
    );
    expect(router.match('GET', '/v1/regions/r-1/instances/a%2Fb').params.instanceId).toBe('a/b');
  });
});
