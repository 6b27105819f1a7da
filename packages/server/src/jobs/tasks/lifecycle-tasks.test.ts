// The lifecycle tasks on a fake host: each ends in the table's done status with its fields, and
// each step skips what is already true.
import { expect, test } from '@jest/globals';
import type { InstanceRecord } from '@kumo/store';
import { fakeContext, FakeHosts, FakeLease, sampleInstance, samplePort } from '../../testing/fake-tasks.js';
import { runTask } from '../steps.js';
import { TASKS } from './index.js';

const OWNER = 'kumod-1';

function setup(over: Partial<InstanceRecord>) {
  const hosts = new FakeHosts(['host-a']);
  const inst = sampleInstance({ hostId: 'host-a', ...over });
  const lease = new FakeLease(inst, OWNER);
  hosts.host('host-a').instances.set(inst.id, over.powerState === 'stopped' ? 'stopped' : 'running');
  return { host: hosts.host('host-a'), inst, lease, ctx: fakeContext({ hosts, lease }).ctx };
}

test('stop powers off and ends stopped; a domain already off is not touched', async () => {
  const s = setup({ task: 'stop', status: 'stopping', powerState: 'running' });
  await runTask(TASKS.stop, s.ctx, s.lease, s.inst, OWNER);
  expect(s.host.instances.get(s.inst.id)).toBe('stopped');
  expect(s.lease.row).toMatchObject({ status: 'stopped', powerState: 'stopped', task: null });

  const again = setup({ task: 'stop', status: 'stopping', powerState: 'stopped' });
  await runTask(TASKS.stop, again.ctx, again.lease, again.inst, OWNER);
  expect(again.host.calls).not.toContain(`powerOff:${again.inst.id}`);
  expect(again.lease.row?.status).toBe('stopped');
});

test('start powers on and ends running', async () => {
  const s = setup({ task: 'start', status: 'starting', powerState: 'stopped' });
  await runTask(TASKS.start, s.ctx, s.lease, s.inst, OWNER);
  expect(s.host.instances.get(s.inst.id)).toBe('running');
  expect(s.lease.row).toMatchObject({ status: 'running', powerState: 'running' });
});

test('reboot power-cycles the guest (off, then on) and applies a pending password', async () => {
  const s = setup({ task: 'reboot', status: 'rebooting', pendingPasswordHash: 'new', passwordHash: 'old' });
  await runTask(TASKS.reboot, s.ctx, s.lease, s.inst, OWNER);
  const cycle = s.host.calls.filter((c) => /^power(Off|On):/.test(c));
  expect(cycle).toEqual([`powerOff:${s.inst.id}`, `powerOn:${s.inst.id}`]);
  expect(s.host.instances.get(s.inst.id)).toBe('running');
  expect(s.lease.row).toMatchObject({ status: 'running', passwordHash: 'new', pendingPasswordHash: null });
});

test('a reboot taken over at its power-on step resumes there and never powers off again', async () => {
  // The previous worker's power-on already happened; a restart from the first step would cycle again.
  const s = setup({ task: 'reboot', status: 'rebooting', taskStep: 'power-on' });
  await runTask(TASKS.reboot, s.ctx, s.lease, s.inst, OWNER);
  expect(s.host.calls).not.toContain(`powerOff:${s.inst.id}`);
  expect(s.host.instances.get(s.inst.id)).toBe('running');
  expect(s.lease.row?.status).toBe('running');
});

test('resize ends stopped with the new type, and passes memory to the host in MiB', async () => {
  const s = setup({
    task: 'resize',
    status: 'resizing',
    powerState: 'stopped',
    taskArgs: { instanceType: 'g.n2.large', vcpus: 4, memoryMB: 8192, nestedVirt: false },
  });
  let sent: unknown;
  s.host.resize = async (_id, type) => {
    sent = type;
  };
  await runTask(TASKS.resize, s.ctx, s.lease, s.inst, OWNER);
  expect(sent).toEqual({ vcpus: 4, memoryMiB: 8192, nested: false });
  expect(s.lease.row).toMatchObject({
    status: 'stopped',
    instanceType: 'g.n2.large',
    vcpus: 4,
    memoryMB: 8192,
  });
});

test('rebuild ensures the image, rebuilds, and records the new image, keys and password', async () => {
  const s = setup({
    task: 'rebuild',
    status: 'rebuilding',
    powerState: 'stopped',
    pendingPasswordHash: 'p',
    taskArgs: { imageId: 'img-aaaaaaaaaaaa', keyNames: ['k'], passwordHash: 'h' },
  });
  await runTask(TASKS.rebuild, s.ctx, s.lease, s.inst, OWNER);
  expect(s.host.calls).toEqual(expect.arrayContaining(['ensureImage:debian-12', `rebuild:${s.inst.id}`]));
  expect(s.lease.row).toMatchObject({
    status: 'stopped',
    imageId: 'img-aaaaaaaaaaaa',
    keyNames: ['k'],
    passwordHash: 'h',
    pendingPasswordHash: null,
  });
});

test('delete destroys the domain and removes the row; an instance on no host skips the host', async () => {
  const s = setup({ task: 'delete', status: 'deleting' });
  expect(await runTask(TASKS.delete, s.ctx, s.lease, s.inst, OWNER)).toEqual({ kind: 'done' });
  expect(s.host.instances.has(s.inst.id)).toBe(false);
  expect(s.lease.row).toBeUndefined();

  const nowhere = setup({ task: 'delete', status: 'deleting', hostId: null });
  await runTask(TASKS.delete, nowhere.ctx, nowhere.lease, nowhere.inst, OWNER);
  expect(nowhere.host.calls).toEqual([]);
  expect(nowhere.lease.row).toBeUndefined();
});

test('an instance of the NAT era moves onto the plane at its start: NIC onto its port, last one out removes the NAT network', async () => {
  const hosts = new FakeHosts(['host-a']);
  const inst = sampleInstance({
    hostId: 'host-a',
    task: 'start',
    status: 'starting',
    natEra: true,
    subnetId: 'subnet-shared0001',
  });
  const lease = new FakeLease(inst, OWNER);
  const nic = samplePort({ mac: inst.mac });
  const host = hosts.host('host-a');
  host.instances.set(inst.id, 'stopped');
  host.networks.add('subnet-shared0001');
  const { ctx, networkCalls } = fakeContext({
    hosts,
    lease,
    interfaces: [nic],
    adoption: { nic, othersOnHost: 0 },
  });
  await runTask(TASKS.start, ctx, lease, inst, OWNER);
  expect(host.replaced.get(`${inst.id}:${inst.mac}`)).toBe(nic.interfaceId);
  expect(host.networks.has('subnet-shared0001')).toBe(false);
  expect(host.calls.filter((c) => /^(replaceNic|removeNetwork|powerOn):/.test(c))).toEqual([
    `replaceNic:${inst.id}`,
    'removeNetwork:subnet-shared0001',
    `powerOn:${inst.id}`,
  ]);
  expect(networkCalls).toEqual([
    `adopt:${inst.id}`,
    `converged:${nic.id}`,
    `settle:${inst.id}`,
    `up:${nic.id}`,
  ]);
  expect(lease.row).toMatchObject({ status: 'running', natEra: false });

  // Another instance still on the NAT network keeps it; an instance on the plane skips the step.
  const second = sampleInstance({
    hostId: 'host-a',
    task: 'start',
    status: 'starting',
    natEra: true,
    subnetId: 'subnet-shared0001',
  });
  const l2 = new FakeLease(second, OWNER);
  host.networks.add('subnet-shared0001');
  host.instances.set(second.id, 'stopped');
  const c2 = fakeContext({ hosts, lease: l2, interfaces: [nic], adoption: { nic, othersOnHost: 1 } });
  await runTask(TASKS.start, c2.ctx, l2, second, OWNER);
  expect(host.networks.has('subnet-shared0001')).toBe(true);
  const plain = setup({ task: 'start', status: 'starting', powerState: 'stopped' });
  await runTask(TASKS.start, plain.ctx, plain.lease, plain.inst, OWNER);
  expect(plain.host.calls.filter((c) => c.startsWith('replaceNic'))).toEqual([]);
});

test('keys: a running instance (ForceStop) is powered off, then reseeded; it ends stopped with its new keys', async () => {
  const s = setup({
    task: 'keys',
    status: 'stopping',
    powerState: 'running',
    taskArgs: { keyNames: ['new-key'] },
  });
  await runTask(TASKS.keys, s.ctx, s.lease, s.inst, OWNER);
  expect(s.host.calls.filter((c) => /^(powerOff|reseed):/.test(c))).toEqual([
    `powerOff:${s.inst.id}`,
    `reseed:${s.inst.id}`,
  ]);
  expect(s.lease.row).toMatchObject({
    status: 'stopped',
    powerState: 'stopped',
    keyNames: ['new-key'],
    task: null,
  });

  // A stopped one is only reseeded.
  const stopped = setup({
    task: 'keys',
    status: 'stopping',
    powerState: 'stopped',
    taskArgs: { keyNames: [] },
  });
  await runTask(TASKS.keys, stopped.ctx, stopped.lease, stopped.inst, OWNER);
  expect(stopped.host.calls.filter((c) => /^(powerOff|reseed):/.test(c))).toEqual([
    `reseed:${stopped.inst.id}`,
  ]);
  expect(stopped.lease.row).toMatchObject({ keyNames: [] });
});
