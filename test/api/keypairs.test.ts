// Keypairs through the HTTP API with the typed client: create, import, list, delete, isolation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KumoApiError, type KumoClient } from '@kumo/client';
import { newAccount, startKumodOnTestDatabase, type TestKumod } from '../support/kumod.js';

let kumod: TestKumod;
let alice: KumoClient;
let bob: KumoClient;
const work = mkdtempSync(join(tmpdir(), 'kumo-keys-'));

beforeAll(async () => {
  kumod = await startKumodOnTestDatabase({
    KUMO_RATE_LIMIT_PER_OPERATION_PER_MINUTE: '100000',
    KUMO_QUOTA_KEYPAIR: '25',
  });
  alice = await newAccount(kumod, 'alice');
  bob = await newAccount(kumod, 'bob');
}, 60_000);

afterAll(async () => {
  await kumod?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

function sshKeygen(args: string[]): string {
  return execFileSync('ssh-keygen', args, { encoding: 'utf8' });
}

/** The MD5 fingerprint as `ssh-keygen -l -E md5` prints it, without the "MD5:" prefix. */
function md5Of(file: string): string {
  const line = sshKeygen(['-l', '-E', 'md5', '-f', file]);
  return /MD5:([0-9a-f:]{47})/.exec(line)![1]!;
}

async function expectApiError(p: Promise<unknown>, httpStatus: number, status: string, message?: RegExp) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KumoApiError);
  const e = err as KumoApiError;
  expect({ httpStatus: e.httpStatus, status: e.status }).toEqual({ httpStatus, status });
  expect(e.requestId).toMatch(/^[a-z0-9]{32}$/);
  if (message) expect(e.message).toMatch(message);
}

test('createKeypair returns a PKCS#8 private key once; ssh-keygen derives the same public key and fingerprint', async () => {
  const created = await alice.createKeypair('made-here');
  expect(created.keyName).toBe('made-here');
  expect(created.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
  const keyFile = join(work, 'made-here');
  writeFileSync(keyFile, created.privateKey, { mode: 0o600 });
  const pub = sshKeygen(['-y', '-f', keyFile]).trim();
  expect(pub).toMatch(/^ssh-rsa AAAA/);
  expect(sshKeygen(['-l', '-f', keyFile])).toMatch(/^2048 /);
  writeFileSync(`${keyFile}.pub`, `${pub}\n`);
  expect(created.keyFingerprint).toBe(md5Of(`${keyFile}.pub`));

  const listed = await alice.describeKeypairs({ filters: [{ name: 'keyNames', values: ['made-here'] }] });
  expect(listed.totalCount).toBe(1);
  expect(listed.keypairs[0]).toEqual({
    keyName: 'made-here',
    keyFingerprint: created.keyFingerprint,
    createTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
  });
  expect(JSON.stringify(listed)).not.toContain('PRIVATE');
});

test.each([
  ['rsa', ['-t', 'rsa', '-b', '3072']],
  ['ed25519', ['-t', 'ed25519']],
  ['ecdsa256', ['-t', 'ecdsa', '-b', '256']],
  ['ecdsa384', ['-t', 'ecdsa', '-b', '384']],
  ['ecdsa521', ['-t', 'ecdsa', '-b', '521']],
])('importKeypair %s: fingerprint equals ssh-keygen -l -E md5', async (name, args) => {
  const file = join(work, `imp-${name}`);
  sshKeygen([...args, '-N', '', '-C', `user@${name}`, '-f', file, '-q']);
  const pub = readFileSync(`${file}.pub`, 'utf8');
  const r = await alice.importKeypair(`imp-${name}`, pub);
  expect(r).toEqual({ keyName: `imp-${name}`, keyFingerprint: md5Of(`${file}.pub`) });
});

test('import refuses malformed keys, weak RSA and duplicate names with the JD errors', async () => {
  await expectApiError(
    alice.importKeypair('bad1', 'ssh-rsa not-base64!!'),
    400,
    'FAILED_PRECONDITION',
    /^Malformed PublicKey/,
  );
  await expectApiError(alice.importKeypair('bad2', ''), 400, 'FAILED_PRECONDITION', /^Malformed PublicKey/);
  const dsa = join(work, 'weak');
  sshKeygen(['-t', 'rsa', '-b', '1024', '-N', '', '-f', dsa, '-q']);
  await expectApiError(
    alice.importKeypair('weak', readFileSync(`${dsa}.pub`, 'utf8')),
    400,
    'FAILED_PRECONDITION',
    /at least 2048 bits/,
  );
  await alice.createKeypair('dup');
  await expectApiError(
    alice.createKeypair('dup'),
    400,
    'FAILED_PRECONDITION',
    /^KeyName 'dup' already in use$/,
  );
  await expectApiError(alice.createKeypair('has space'), 400, 'INVALID_ARGUMENT');
  await expectApiError(alice.createKeypair('x'.repeat(33)), 400, 'INVALID_ARGUMENT');
});

test('paging: totalCount, page sizes and order are stable', async () => {
  const carol = await newAccount(kumod, 'carol');
  const ed = join(work, 'page');
  sshKeygen(['-t', 'ed25519', '-N', '', '-f', ed, '-q']);
  const pub = readFileSync(`${ed}.pub`, 'utf8');
  for (let i = 0; i < 23; i++) await carol.importKeypair(`p${String(i).padStart(2, '0')}`, pub);
  const first = await carol.describeKeypairs({ pageSize: 10 });
  const third = await carol.describeKeypairs({ pageSize: 10, pageNumber: 3 });
  const fourth = await carol.describeKeypairs({ pageSize: 10, pageNumber: 4 });
  const byDefault = await carol.describeKeypairs();
  expect(first.totalCount).toBe(23);
  expect(first.keypairs.map((k) => k.keyName)).toEqual(Array.from({ length: 10 }, (_, i) => `p0${i}`));
  expect(third.keypairs.map((k) => k.keyName)).toEqual(['p20', 'p21', 'p22']);
  expect(fourth).toEqual({ keypairs: [], totalCount: 23 });
  expect(byDefault.keypairs).toHaveLength(20);
  const named = await carol.describeKeypairs({
    filters: [{ name: 'keyNames', values: ['p03', 'p07', 'nope'] }],
  });
  expect(named.keypairs.map((k) => k.keyName)).toEqual(['p03', 'p07']);
});

test('another account sees nothing of alice and gets 404 deleting her key', async () => {
  await alice.createKeypair('alice-only');
  const bobs = await bob.describeKeypairs({ filters: [{ name: 'keyNames', values: ['alice-only'] }] });
  expect(bobs).toEqual({ keypairs: [], totalCount: 0 });
  expect((await bob.describeKeypairs()).totalCount).toBe(0);
  await expectApiError(bob.deleteKeypair('alice-only'), 404, 'NOT_FOUND', /^KeyPair 'alice-only' not found$/);
  // Bob may use the same name: names are unique per account, not globally.
  await bob.createKeypair('alice-only');
  await alice.deleteKeypair('alice-only');
  await expectApiError(alice.deleteKeypair('alice-only'), 404, 'NOT_FOUND');
  expect((await bob.describeKeypairs()).totalCount).toBe(1);
});

test('describeQuotas counts keypairs and the limit stops creation with QUOTA_EXCEEDED', async () => {
  const dave = await newAccount(kumod, 'dave');
  const before = await dave.describeQuotas({ filters: [{ name: 'resourceTypes', values: ['keypair'] }] });
  expect(before.quotas).toEqual([{ resourceType: 'keypair', limit: 25, used: 0 }]);
  const ed = join(work, 'quota');
  sshKeygen(['-t', 'ed25519', '-N', '', '-f', ed, '-q']);
  const pub = readFileSync(`${ed}.pub`, 'utf8');
  await Promise.all(Array.from({ length: 25 }, (_, i) => dave.importKeypair(`q${i}`, pub)));
  await expectApiError(dave.importKeypair('q25', pub), 429, 'QUOTA_EXCEEDED', /Keypair quota limit exceeded/);
  const after = await dave.describeQuotas();
  expect(after.quotas.map((q) => q.resourceType)).toEqual([
    'instance',
    'keypair',
    'image',
    'instanceTemplate',
    'imageShare',
  ]);
  expect(after.quotas.find((q) => q.resourceType === 'keypair')).toEqual({
    resourceType: 'keypair',
    limit: 25,
    used: 25,
  });
});

test('a create refused for a taken name is answered before any key is generated', async () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const made: number[] = [];
  const refused: number[] = [];
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    await bob.createKeypair(`cheap-${i}`);
    made.push(performance.now() - t);
    t = performance.now();
    await expect(bob.createKeypair(`cheap-${i}`)).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
    refused.push(performance.now() - t);
  }
  // RSA-2048 generation dominates a create; a refusal that skips it is several times faster.
  expect(median(refused) * 3).toBeLessThan(median(made));
  for (let i = 0; i < 5; i++) await bob.deleteKeypair(`cheap-${i}`);
});
