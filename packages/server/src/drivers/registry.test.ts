// The driver registry: built-in drivers by name, one registration per name, unknown names named.
import { expect, test } from '@jest/globals';
import { FakeHostDriver } from '../testing/fake-host-driver.js';
import { builtinDrivers, DriverRegistry } from './registry.js';

test('the built-in registry has the libvirt host driver, the ovn plane, local and rbd storage, local and s3 image stores', () => {
  const r = builtinDrivers();
  expect(r.host.names()).toEqual(['libvirt']);
  expect(r.network.names()).toEqual(['ovn']);
  expect(r.storage.names()).toEqual(['local', 'rbd']);
  expect(r.imageStore.names()).toEqual(['local', 's3']);
});

test('a registered factory is handed out by name; a name registers once; an unknown name says what exists', async () => {
  const r = new DriverRegistry();
  const fake = new FakeHostDriver();
  r.host.register('fake', async () => fake);
  const opts = {
    uri: 'qemu:///system',
    pool: 'p',
    namePrefix: 'kumo-',
    accelerator: 'kvm' as const,
    vncListen: '127.0.0.1',
  };
  expect(await r.host.get('fake')(opts)).toBe(fake);
  expect(() => r.host.register('fake', async () => fake)).toThrow("host driver 'fake' is already registered");
  expect(() => r.host.get('xen')).toThrow("unknown host driver 'xen' (registered: fake)");
  expect(() => r.storage.get('rbd')).toThrow("unknown storage driver 'rbd' (registered: none)");
});
