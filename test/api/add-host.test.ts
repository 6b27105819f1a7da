// addHost refuses URIs that would make kumod open a local socket, read a file outside its key
// directory as a key, or talk plaintext or unverified without the operator's flag — before any
// connection is made, and nothing is registered. With the flag, the host shows a warning. A chassis
// name that is not one is refused too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KumoApiError } from '@kumo/client';
import { removeDataDir, startKumod, type KumodProcess } from '../support/kumod.js';

let kumod: KumodProcess;

beforeAll(async () => {
  kumod = await startKumod({});
  mkdirSync(join(kumod.dataDir, 'keys'), { recursive: true });
  writeFileSync(join(kumod.dataDir, 'keys', 'kvm'), 'not really a key');
}, 60_000);

afterAll(async () => {
  await kumod?.stop();
  removeDataDir(kumod.dataDir);
});

const add = (uri: string) =>
  kumod
    .admin()
    .adminRequest('POST', '/hosts', {
      body: { name: 'h1', uri, regionId: 'local-1', az: 'local-1a', poolPath: '/var/lib/kumo/pool' },
    })
    .then(
      () => undefined,
      (e: unknown) => e as KumoApiError,
    );

test.each([
  ['a local socket of another service', 'qemu+unix:///system?socket=/run/postgresql/.s.PGSQL.5432', /socket/],
  [
    'any file as an SSH key',
    'qemu+ssh://root@127.0.0.1/system?keyfile=/etc/shadow',
    /keyfile must name a file inside/,
  ],
  ['a client-side command', 'qemu+ssh://root@127.0.0.1/system?command=/bin/sh', /'command' is not accepted/],
  ['disabled verification', 'qemu+tls://127.0.0.1/system?no_verify=1', /KUMO_ALLOW_INSECURE_HOSTS/],
  ['plaintext TCP', 'qemu+tcp://127.0.0.1:1/system', /qemu\+tcp is unencrypted/],
])('%s is refused before connecting: 400, nothing registered', async (_what, uri, why) => {
  const err = await add(uri);
  expect([err?.httpStatus, err?.status]).toEqual([400, 'INVALID_ARGUMENT']);
  expect(err?.message).toMatch(why);
  // Refused by policy, not by a failed connection attempt.
  expect(err?.message).not.toMatch(/unreachable/i);
  expect((await kumod.admin().adminRequest<{ hosts: unknown[] }>('GET', '/hosts')).hosts).toEqual([]);
});

test("a key from kumod's key directory passes the policy (and then the connection is tried)", async () => {
  const err = await add(`qemu+ssh://root@127.0.0.1:1/system?keyfile=${join(kumod.dataDir, 'keys', 'kvm')}`);
  expect(err?.message).toMatch(/Host unreachable/);
});

test.each([
  ['an OVSDB-quoting name', 'hv1"; evil'],
  ['a name with a space', 'hv 1'],
  ['a name too long for a chassis', 'h'.repeat(65)],
])(
  'a chassis that is not an OVN chassis name (%s) is refused: 400, nothing registered',
  async (_what, chassis) => {
    const err = await kumod
      .admin()
      .adminRequest('POST', '/hosts', {
        body: {
          name: 'h1',
          uri: 'qemu:///system',
          regionId: 'local-1',
          az: 'local-1a',
          poolPath: '/var/lib/kumo/pool',
          chassis,
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e as KumoApiError,
      );
    expect([err?.httpStatus, err?.status]).toEqual([400, 'INVALID_ARGUMENT']);
    expect(err?.message).toMatch(/chassis/);
    expect((await kumod.admin().adminRequest<{ hosts: unknown[] }>('GET', '/hosts')).hosts).toEqual([]);
  },
);
