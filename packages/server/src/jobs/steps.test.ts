// The step engine on fakes: steps run in order and are recorded, a taken-over task resumes at
// the recorded step, a lost lease stops the run, failures and hops follow the definition.
import { expect, test } from '@jest/globals';
import { HypervisorError } from '@kumo/hypervisor';
import { fakeContext, FakeHosts, FakeLease, sampleInstance } from '../testing/fake-tasks.js';
import { runTask, type TaskDefinition } from './steps.js';

const OWNER = 'kumod-1';

function threeSteps(ran: string[], fail?: string): TaskDefinition {
  const step = (name: string) => ({
    name,
    async run() {
      ran.push(name);
      if (name === fail) throw new Error(`${name} broke`);
    },
  });
  return {
    task: 'start',
    steps: [step('one'), step('two'), step('three')],
    done: () => ({ powerState: 'running' }),
  };
}

function setup(over: Parameters<typeof sampleInstance>[0] = {}) {
  const inst = sampleInstance({ task: 'start', status: 'starting', ...over });
  const lease = new FakeLease(inst, OWNER);
  const { ctx } = fakeContext({ hosts: new FakeHosts(['host-a']), lease });
  return { inst, lease, ctx };
}

test('runs every step in order, records each before it runs, and ends in the table’s done status', async () => {
  const { inst, lease, ctx } = setup();
  const ran: string[] = [];
  expect(await runTask(threeSteps(ran), ctx, lease, inst, OWNER)).toEqual({ kind: 'done' });
  expect(ran).toEqual(['one', 'two', 'three']);
  expect(lease.steps).toEqual(['one', 'two', 'three']);
  expect(lease.row).toMatchObject({ status: 'running', powerState: 'running', task: null, taskStep: null });
});

test('a task taken over at a recorded step resumes there, not at the start', async () => {
  const { inst, lease, ctx } = setup({ taskStep: 'two' });
  const ran: string[] = [];
  await runTask(threeSteps(ran), ctx, lease, inst, OWNER);
  expect(ran).toEqual(['two', 'three']);
});

test('a step name this version does not know starts the task over', async () => {
  const { inst, lease, ctx } = setup({ taskStep: 'renamed-step' });
  const ran: string[] = [];
  await runTask(threeSteps(ran), ctx, lease, inst, OWNER);
  expect(ran).toEqual(['one', 'two', 'three']);
});

test('a failing step fails the task into error with the reason, and later steps do not run', async () => {
  const { inst, lease, ctx } = setup();
  const ran: string[] = [];
  expect(await runTask(threeSteps(ran, 'two'), ctx, lease, inst, OWNER)).toEqual({
    kind: 'failed',
    reason: 'start failed: two broke',
  });
  expect(ran).toEqual(['one', 'two']);
  expect(lease.row).toMatchObject({ status: 'error', errorReason: 'start failed: two broke', task: null });
});

test('HOST_UNAVAILABLE propagates and leaves the step recorded for the retry', async () => {
  const { inst, lease, ctx } = setup();
  const def: TaskDefinition = {
    task: 'start',
    steps: [
      {
        name: 'only',
        run: () => Promise.reject(new HypervisorError('HOST_UNAVAILABLE', 'gone', 'connect')),
      },
    ],
  };
  await expect(runTask(def, ctx, lease, inst, OWNER)).rejects.toThrow('gone');
  expect(lease.row).toMatchObject({ task: 'start', taskStep: 'only', status: 'starting' });
});

test('a worker whose lease was taken stops before its next step and writes nothing', async () => {
  const { inst, lease, ctx } = setup();
  const ran: string[] = [];
  const def = threeSteps(ran);
  const first = def.steps[0]!;
  const preempting: TaskDefinition = {
    ...def,
    steps: [
      {
        name: first.name,
        async run(c, r) {
          await first.run(c, r);
          lease.preempt('delete', 'deleting');
        },
      },
      ...def.steps.slice(1),
    ],
  };
  expect(await runTask(preempting, ctx, lease, inst, OWNER)).toEqual({ kind: 'fenced' });
  expect(ran).toEqual(['one']);
  expect(lease.row).toMatchObject({ task: 'delete', status: 'deleting', taskStep: null });
});

test('a worker whose heartbeat found the lease gone stops at its next host call, inside the step', async () => {
  const { inst, lease, ctx } = setup();
  const lost = new AbortController();
  const hosts = ctx.hosts as FakeHosts;
  let cleanedUp = false;
  const def: TaskDefinition = {
    task: 'start',
    steps: [
      {
        name: 'two-calls',
        async run(c) {
          await c.hosts.with('host-a', (h) => h.state(inst.id));
          lost.abort(); // the heartbeat's answer arrives between the two calls
          await c.hosts.with('host-a', (h) => h.powerOn(inst.id));
        },
      },
    ],
    // The cleanup of a fenced run still reaches the host.
    fenced: async (c) => {
      await c.hosts.with('host-a', (h) => h.state(inst.id));
      cleanedUp = true;
    },
  };
  expect(await runTask(def, ctx, lease, inst, OWNER, lost.signal)).toEqual({ kind: 'fenced' });
  expect(hosts.host('host-a').calls.filter((c) => c.startsWith('powerOn'))).toEqual([]);
  expect(cleanedUp).toBe(true);
});

test('a hop goes back to a named step', async () => {
  const { inst, lease, ctx } = setup();
  let tries = 0;
  const def: TaskDefinition = {
    task: 'start',
    steps: [
      { name: 'a', run: async () => undefined },
      { name: 'b', run: async () => (++tries < 3 ? { hop: 'a' } : undefined) },
    ],
  };
  await runTask(def, ctx, lease, inst, OWNER);
  expect(lease.steps).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
});
