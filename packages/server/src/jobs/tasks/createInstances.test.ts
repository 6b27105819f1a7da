// The spawn task on fake hosts: the happy path, placement retry after a failed spawn, giving up
// after the attempts, resuming at a recorded step, and losing to a delete of the pending instance.
import { expect, test } from '@jest/globals';
import { HypervisorError } from '@kumo/hypervisor';
import type { NetworkInterfaceRecord } from '@kumo/store';
import { fakeContext, FakeHosts, FakeLease, sampleInstance, samplePort } from '../../testing/fake-tasks.js';
import { runTask } from '../steps.js';
import { TASKS } from './index.js';
import { deleteInstance } from './deleteInstance.js';

const OWNER = 'kumod-1';
const spawn = TASKS.spawn;

function setup(
  opts: {
    hosts?: string[];
    maxAttempts?: number;
    inst?: Parameters<typeof sampleInstance>[0];
    interfaces?: NetworkInterfaceRecord[];
    dataDisks?: { diskId: string; local: boolean; failed: boolean }[];
  } = {},
) {
  const hosts = new FakeHosts(opts.hosts ?? ['host-a', 'host-b']);
  const inst = sampleInstance({ hostId: 'host-a', ...opts.inst });
  const lease = new FakeLease(inst, OWNER);
  const { ctx, moves, networkCalls, diskCalls } = fakeContext({
    hosts,
    lease,
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
    ...(opts.interfaces ? { interfaces: opts.interfaces } : {}),
    ...(opts.dataDisks ? { dataDisks: opts.dataDisks } : {}),
  });
  return { hosts, inst, lease, ctx, moves, networkCalls, diskCalls };
}

test('on the network plane: waits for the port, plugs the NIC into br-int, waits for it up', async () => {
  const port = samplePort();
  const { hosts, inst, lease, ctx, networkCalls } = setup({ interfaces: [port] });
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'done' });
  const a = hosts.host('host-a');
  // No libvirt network on the host: OVN serves the subnet.
  expect(a.networks.size).toBe(0);
  expect(a.spawned[0]!.nic.ovn).toEqual({ bridge: 'br-int', interfaceId: port.interfaceId });
  expect(networkCalls).toEqual([`converged:${port.id}`, `up:${port.id}`]);
  expect(lease.steps).toEqual(['image', 'network', 'disks', 'domain', 'attach-disks', 'link']);
});

test('prepares the image and network, starts the domain and ends running', async () => {
  const { hosts, inst, lease, ctx } = setup();
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'done' });
  const a = hosts.host('host-a');
  expect(a.images.has('debian-12')).toBe(true);
  expect(a.instances.get(inst.id)).toBe('running');
  expect(lease.steps).toEqual(['image', 'network', 'disks', 'domain', 'attach-disks', 'link']);
  expect(lease.row).toMatchObject({
    status: 'running',
    powerState: 'running',
    task: null,
    errorReason: null,
  });
  expect(lease.row?.launchTime).toBeInstanceOf(Date);
});

test('a spawn that fails on one host is placed on another and runs there', async () => {
  const { hosts, inst, lease, ctx, moves } = setup();
  hosts.host('host-a').failNext('spawn');
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'done' });
  expect(moves).toEqual([{ from: 'host-a', to: 'host-b' }]);
  expect(hosts.host('host-a').instances.has(inst.id)).toBe(false);
  expect(hosts.host('host-b').instances.get(inst.id)).toBe('running');
  expect(lease.row).toMatchObject({ hostId: 'host-b', spawnAttempts: 1, status: 'running' });
  // The new host is prepared from the first step, not only given the domain.
  expect(lease.steps).toEqual([
    'image',
    'network',
    'disks',
    'domain',
    'image',
    'network',
    'disks',
    'domain',
    'attach-disks',
    'link',
  ]);
  expect(hosts.host('host-b').images.has('debian-12')).toBe(true);
});

test('a spec every host would refuse fails at once, on its host, without trying another', async () => {
  const { hosts, inst, lease, ctx, moves } = setup();
  hosts.host('host-a').failNext('spawn', new HypervisorError('INVALID_ARGUMENT', 'invalid hostname', 'seed'));
  expect((await runTask(spawn, ctx, lease, inst, OWNER)).kind).not.toBe('done');
  expect(moves).toEqual([]);
  expect(lease.row).toMatchObject({ status: 'error', hostId: 'host-a', task: null });
  expect(lease.row?.errorReason).toContain('invalid hostname');
});

test('when every host fails, the spawn ends in error with no host and no claim', async () => {
  const { hosts, inst, lease, ctx, moves } = setup();
  hosts.host('host-a').failNext('spawn', undefined, Infinity);
  hosts.host('host-b').failNext('ensureImage', undefined, Infinity);
  const r = await runTask(spawn, ctx, lease, inst, OWNER);
  expect(r).toEqual({ kind: 'failed', reason: 'spawn failed: ensureImage failed' });
  expect(moves).toEqual([
    { from: 'host-a', to: 'host-b' },
    { from: 'host-b', to: null },
  ]);
  expect(lease.row).toMatchObject({ status: 'error', hostId: null, powerState: 'absent', task: null });
});

test('the attempts bound the retries even when more hosts are left', async () => {
  const { hosts, inst, lease, ctx, moves } = setup({ hosts: ['host-a', 'host-b', 'host-c'], maxAttempts: 2 });
  hosts.host('host-a').failNext('spawn');
  hosts.host('host-b').failNext('spawn');
  expect((await runTask(spawn, ctx, lease, inst, OWNER)).kind).toBe('failed');
  expect(moves.map((m) => m.to)).toEqual(['host-b', null]);
  expect(hosts.host('host-c').calls).toEqual([]);
});

test('an unreachable host is not given up on: the error propagates for a later retry on the same claim', async () => {
  const { hosts, inst, lease, ctx, moves } = setup();
  hosts
    .host('host-a')
    .failNext('ensureImage', new HypervisorError('HOST_UNAVAILABLE', 'no route', 'connect'));
  await expect(runTask(spawn, ctx, lease, inst, OWNER)).rejects.toThrow('no route');
  expect(moves).toEqual([]);
  expect(lease.row).toMatchObject({ hostId: 'host-a', task: 'spawn', taskStep: 'image' });
});

test('a spawn taken over after its network step resumes at the domain', async () => {
  const { hosts, inst, lease, ctx } = setup({ inst: { taskStep: 'domain' } });
  await runTask(spawn, ctx, lease, inst, OWNER);
  expect(hosts.host('host-a').calls.filter((c) => c.startsWith('ensure'))).toEqual([]);
  expect(hosts.host('host-a').instances.get(inst.id)).toBe('running');
});

test('re-running the domain step on a running domain does not spawn it again', async () => {
  const { hosts, inst, lease, ctx } = setup({ inst: { taskStep: 'domain' } });
  hosts.host('host-a').instances.set(inst.id, 'running');
  await runTask(spawn, ctx, lease, inst, OWNER);
  expect(hosts.host('host-a').calls).not.toContain(`spawn:${inst.id}`);
});

test('deleting a pending instance wins over its spawn: the spawn stops and cleans up, the delete removes the row', async () => {
  const { hosts, inst, lease, ctx } = setup();
  const a = hosts.host('host-a');
  // The delete's claim lands while the spawn is creating the domain.
  const realSpawn = a.spawn.bind(a);
  a.spawn = async (spec) => {
    await realSpawn(spec);
    lease.preempt('delete', 'deleting');
  };
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'fenced' });
  // The fenced spawn removed the domain it had just made, and wrote nothing to the row.
  expect(a.instances.has(inst.id)).toBe(false);
  expect(lease.row).toMatchObject({ task: 'delete', status: 'deleting', taskOwner: null });

  // The delete task, run by another worker, takes the lease and finishes: claim and row go.
  lease.row = { ...lease.row!, taskOwner: 'kumod-2' };
  a.instances.set(inst.id, 'running'); // whatever the spawn left behind, the delete removes
  expect(await runTask(deleteInstance, ctx, lease, lease.row, 'kumod-2')).toEqual({ kind: 'done' });
  expect(a.instances.has(inst.id)).toBe(false);
  expect(lease.row).toBeUndefined();
});

test('a spawn taken over by another worker of the same spawn leaves the host work alone', async () => {
  const { hosts, inst, lease, ctx } = setup();
  const a = hosts.host('host-a');
  const realSpawn = a.spawn.bind(a);
  a.spawn = async (spec) => {
    await realSpawn(spec);
    lease.row = { ...lease.row!, taskOwner: 'kumod-2' };
  };
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'fenced' });
  expect(a.instances.get(inst.id)).toBe('running');
});

test('a spawn of the NAT era an upgrade interrupted starts its domain over on the plane, keeping its MAC', async () => {
  const hosts = new FakeHosts(['host-a']);
  const inst = sampleInstance({ hostId: 'host-a', natEra: true, subnetId: 'subnet-shared0001' });
  const lease = new FakeLease(inst, OWNER);
  const nic = samplePort({ id: 'port-adopted01', mac: inst.mac });
  const a = hosts.host('host-a');
  a.instances.set(inst.id, 'running'); // the old kumod's domain, on the NAT network
  a.networks.add('subnet-shared0001');
  const { ctx, networkCalls } = fakeContext({
    hosts,
    lease,
    interfaces: [nic],
    adoption: { nic, othersOnHost: 0 },
  });
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'done' });
  expect(a.calls.filter((c) => /^(destroy|spawn|removeNetwork):/.test(c))).toEqual([
    `destroy:${inst.id}`,
    'removeNetwork:subnet-shared0001',
    `spawn:${inst.id}`,
  ]);
  expect(a.spawned[0]!.nic).toMatchObject({
    mac: inst.mac,
    ovn: { bridge: 'br-int', interfaceId: nic.interfaceId },
  });
  expect(networkCalls).toEqual([
    `adopt:${inst.id}`,
    `converged:${nic.id}`,
    `settle:${inst.id}`,
    `up:${nic.id}`,
  ]);
  expect(lease.row).toMatchObject({ status: 'running', natEra: false });
});

test('data disks: made first, attached to the defined domain before its first boot, then it starts', async () => {
  const disk = { diskId: 'vol-data000001', local: false, failed: false };
  const { hosts, inst, lease, ctx, diskCalls } = setup({ dataDisks: [disk] });
  expect(await runTask(spawn, ctx, lease, inst, OWNER)).toEqual({ kind: 'done' });
  expect(diskCalls).toEqual([`created:${inst.id}`, `attach:${inst.id}@host-a:stopped`]);
  expect(hosts.host('host-a').instances.get(inst.id)).toBe('running');
  expect(lease.row).toMatchObject({ status: 'running', task: null });
});

test('rbd data disks follow a spawn to another host; local ones keep it on theirs', async () => {
  const shared = setup({ dataDisks: [{ diskId: 'vol-data000001', local: false, failed: false }] });
  shared.hosts.host('host-a').failNext('spawn');
  expect(await runTask(spawn, shared.ctx, shared.lease, shared.inst, OWNER)).toEqual({ kind: 'done' });
  expect(shared.moves).toEqual([{ from: 'host-a', to: 'host-b' }]);
  expect(shared.diskCalls).toContain(`attach:${shared.inst.id}@host-b:stopped`);

  const local = setup({ dataDisks: [{ diskId: 'vol-data000002', local: true, failed: false }] });
  local.hosts.host('host-a').failNext('spawn');
  expect((await runTask(spawn, local.ctx, local.lease, local.inst, OWNER)).kind).not.toBe('done');
  expect(local.moves).toEqual([]);
  expect(local.lease.row).toMatchObject({ status: 'error', hostId: 'host-a', task: null });
});

test('a data disk that could not be made fails the spawn at once, on no other host', async () => {
  const { inst, lease, ctx, moves, hosts } = setup({
    dataDisks: [{ diskId: 'vol-data000003', local: false, failed: true }],
  });
  expect((await runTask(spawn, ctx, lease, inst, OWNER)).kind).not.toBe('done');
  expect(moves).toEqual([]);
  expect(hosts.host('host-a').calls).not.toContain(`spawn:${inst.id}`);
  expect(lease.row).toMatchObject({ status: 'error', task: null });
  expect(lease.row?.errorReason).toMatch(/vol-data000003 could not be created/);
});
