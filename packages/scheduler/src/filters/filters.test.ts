// Unit tests of each filter: passes the good host, and the exact reason for the bad one.
import { host, request } from '../testing.js';
import { archFilter, canonicalArch } from './arch.js';
import { avoidFilter } from './avoid.js';
import { azFilter } from './az.js';
import { diskFilter } from './disk.js';
import { enabledFilter } from './enabled.js';
import { healthyFilter } from './healthy.js';
import { FILTERS } from './index.js';
import { memoryFilter } from './memory.js';
import { nestedFilter } from './nested.js';
import { vcpusFilter } from './vcpus.js';

describe('filters', () => {
  it('applies static facts before capacity, in a fixed order', () => {
    expect(FILTERS.map((f) => f.name)).toEqual([
      'az',
      'enabled',
      'healthy',
      'avoid',
      'arch',
      'nested',
      'vcpus',
      'memory',
      'disk',
    ]);
  });

  it('az', () => {
    expect(azFilter.check(request(), host('h'))).toBeUndefined();
    expect(azFilter.check(request({ az: 'az2' }), host('h'))).toBe('host is in az1, request is for az2');
  });

  it('enabled and healthy', () => {
    expect(enabledFilter.check(request(), host('h'))).toBeUndefined();
    expect(enabledFilter.check(request(), host('h', { enabled: false }))).toBe('host is disabled');
    expect(healthyFilter.check(request(), host('h'))).toBeUndefined();
    expect(healthyFilter.check(request(), host('h', { healthy: false }))).toBe('host is unhealthy');
  });

  it('avoid', () => {
    expect(avoidFilter.check(request(), host('h'))).toBeUndefined();
    expect(avoidFilter.check(request({ avoidHostIds: ['x'] }), host('h'))).toBeUndefined();
    expect(avoidFilter.check(request({ avoidHostIds: ['x', 'h'] }), host('h'))).toBe(
      'host is on the avoid list',
    );
  });

  it('arch, with Debian and libvirt spellings treated as one', () => {
    expect(canonicalArch('amd64')).toBe('x86_64');
    expect(canonicalArch('ARM64')).toBe('aarch64');
    expect(archFilter.check(request({ arch: 'amd64' }), host('h'))).toBeUndefined();
    expect(archFilter.check(request({ arch: 'aarch64' }), host('h'))).toBe(
      'host is x86_64, image needs aarch64',
    );
  });

  it('nested virtualisation only matters when requested', () => {
    expect(nestedFilter.check(request(), host('h'))).toBeUndefined();
    expect(
      nestedFilter.check(request({ nestedVirt: true }), host('h', { nestedVirt: true })),
    ).toBeUndefined();
    expect(nestedFilter.check(request({ nestedVirt: true }), host('h'))).toBe(
      'no nested virtualisation, request needs it',
    );
  });

  it('vcpus counts overcommit', () => {
    const h = host('h', { vcpus: { total: 4, used: 7, ratio: 2 } });
    expect(vcpusFilter.check(request({ vcpus: 1 }), h)).toBeUndefined();
    expect(vcpusFilter.check(request({ vcpus: 2 }), h)).toBe('needs 2 vCPUs, 1 of 8 free');
  });

  it('memory', () => {
    const h = host('h', { memoryMB: { total: 1024, used: 768, ratio: 1 } });
    expect(memoryFilter.check(request({ memoryMB: 256 }), h)).toBeUndefined();
    expect(memoryFilter.check(request({ memoryMB: 512 }), h)).toBe('needs 512 MiB, 256 of 1024 free');
  });

  it('disk', () => {
    const h = host('h', { diskGB: { total: 100, used: 90, ratio: 1 } });
    expect(diskFilter.check(request({ diskGB: 10 }), h)).toBeUndefined();
    expect(diskFilter.check(request({ diskGB: 20 }), h)).toBe('needs 20 GiB, 10 of 100 free');
  });
});
