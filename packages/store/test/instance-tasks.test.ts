// The task protocol against a real PostgreSQL: claims from the allowed statuses, one live lease
// at a time, takeover of a stale lease, fencing of every later write, delete preempting a spawn,
// and the delete's claim release with the row in one transaction.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  AccountsModel,
  HostsModel,
  InstanceActionsModel,
  InstanceAdminModel,
  InstancesModel,
  InstanceTasksModel,
  migrateLatest,
  newId,
  openDatabase,
  SubnetsModel,
  Transactions,
  type Database,
  type InstanceRecord,
  type NewInstance,
  type SubnetRecord,
} from '@kumo/store';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/database.js';

let url: string;
let db: Database;
let accountId: string;
let hostId: string;
let subnet: SubnetRecord;
let instances: InstancesModel;
let tasks: InstanceTasksModel;
let hosts: HostsModel;
const scope = () => ({ accountId, regionId: 'cn-north-1' });

beforeAll(async () => {
  url = await createTestDatabase();
  db = openDatabase({ url });
  await migrateLatest(db);
  accountId = (await new AccountsModel(db).create('tasks', false)).account.id;
  hosts = new HostsModel(db);
  const host = await hosts.create({
    name: 'h1',
    uri: 'qemu:///system',
    regionId: 'cn-north-1',
    az: 'cn-north-1a',
    poolPath: '/p',
    accelerator: 'kvm',
    cpuRatio: 1,
    memoryRatio: 1,
    diskRatio: 1,
  });
  hostId = host.id;
  await hosts.recordHealth(hostId, {
    health: 'up',
    capacity: { vcpus: 64, memoryMB: 65536, diskGB: 1000, nestedVirt: false },
  });
  subnet = await new SubnetsModel(db).ensureDefault('cn-north-1', 'cn-north-1a', '10.240');
  instances = new InstancesModel(db);
  tasks = new InstanceTasksModel(db);
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

/** A new instance holding a claim on the host, in `status` with `task`. */
async function instance(
  status: InstanceRecord['status'],
  task: InstanceRecord['task'],
): Promise<InstanceRecord> {
  const id = newId('i');
  const row: NewInstance = {
    id,
    accountId,
    regionId: 'cn-north-1',
    az: 'cn-north-1a',
    name: 'n',
    description: '',
    hostname: 'n',
    instanceType: 't',
    vcpus: 1,
    memoryMB: 512,
    nestedVirt: false,
    imageId: 'img-x',
    hostId,
    status,
    task,
    taskArgs: null,
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    networkInterfaceId: 'port-x',
    mac: `52:54:00:${id.slice(-6).match(/../g)!.join(':')}`,
    keyNames: [],
    passwordHash: null,
    userdata: null,
    systemDiskCategory: 'local',
    systemDiskGB: 1,
  };
  return new Transactions(db).run(async (trx) => {
    expect(await hosts.claim(trx, id, hostId, { vcpus: 1, memoryMB: 512, diskGB: 1 })).toBe(true);
    const inserted = await instances.insert(trx, row, subnet);
    if (typeof inserted === 'string') throw new Error(inserted);
    return inserted;
  });
}

const stop = { task: 'stop', from: ['running'], transient: 'stopping' } as const;
const del = {
  task: 'delete',
  from: ['running', 'stopped', 'error'],
  transient: 'deleting',
  preempts: ['spawn'],
} as const;

describe('claim', () => {
  test('succeeds from an allowed status, shows the transient status, and refuses a second claim', async () => {
    const inst = await instance('running', null);
    const claimed = await tasks.claim(scope(), inst.id, { ...stop, args: { why: 'test' } });
    expect(claimed).toMatchObject({
      status: 'stopping',
      task: 'stop',
      taskOwner: null,
      taskStep: null,
      taskArgs: { why: 'test' },
    });
    expect(await tasks.claim(scope(), inst.id, stop)).toEqual({ reason: 'busy', task: 'stop' });
  });

  test('names the status when it is not allowed, and the instance when it is missing or another account’s', async () => {
    const inst = await instance('stopped', null);
    expect(await tasks.claim(scope(), inst.id, stop)).toEqual({ reason: 'status', status: 'stopped' });
    expect(await tasks.claim(scope(), 'i-doesnotexist', stop)).toEqual({ reason: 'missing' });
    expect(await tasks.claim({ accountId: 'acc-other', regionId: 'cn-north-1' }, inst.id, stop)).toEqual({
      reason: 'missing',
    });
  });

  test('only one of many concurrent claims wins', async () => {
    const inst = await instance('running', null);
    const results = await Promise.all(Array.from({ length: 8 }, () => tasks.claim(scope(), inst.id, stop)));
    expect(results.filter((r) => !('reason' in r))).toHaveLength(1);
  });
});

describe('lease', () => {
  test('one live worker at a time; the same worker may take it again', async () => {
    const inst = await instance('pending', 'spawn');
    expect(await tasks.takeLease(inst.id, 'spawn', 'w1', 30)).toMatchObject({ taskOwner: 'w1' });
    expect(await tasks.takeLease(inst.id, 'spawn', 'w2', 30)).toBeUndefined();
    expect(await tasks.takeLease(inst.id, 'spawn', 'w1', 30)).toMatchObject({ taskOwner: 'w1' });
    expect(await tasks.takeLease(inst.id, 'stop', 'w1', 30)).toBeUndefined();
  });

  test('a stale lease is taken over, the step survives, and the old worker is fenced out', async () => {
    const inst = await instance('pending', 'spawn');
    const actions = new InstanceActionsModel(db);
    await actions.record({ instanceId: inst.id, accountId, action: 'spawn', requestedBy: 'test' });
    const logged = async () => (await actions.list(inst.id)).map((a) => a.outcome);
    await tasks.takeLease(inst.id, 'spawn', 'w1', 30);
    expect(await tasks.recordStep(inst.id, 'spawn', 'w1', 'network')).toBe(true);
    await db('instances')
      .where({ id: inst.id })
      .update({ task_heartbeat_at: db.raw("now() - interval '1 minute'") });
    expect(await tasks.orphaned(30)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: inst.id })]),
    );
    const taken = await tasks.takeLease(inst.id, 'spawn', 'w2', 30);
    expect(taken).toMatchObject({ taskOwner: 'w2', taskStep: 'network' });
    expect(await tasks.heartbeat(inst.id, 'spawn', 'w1')).toBe(false);
    expect(await tasks.recordStep(inst.id, 'spawn', 'w1', 'domain')).toBe(false);
    expect(await tasks.update(inst.id, 'spawn', 'w1', { errorReason: 'stale writer' })).toBe(false);
    expect(await tasks.finish(inst.id, 'spawn', 'w1', { status: 'running' }, { outcome: 'succeeded' })).toBe(
      false,
    );
    expect(await instances.get(inst.id)).toMatchObject({
      status: 'pending',
      taskStep: 'network',
      errorReason: null,
    });
    // The fenced finish closed nothing; the holder's closes the action with the task.
    expect(await logged()).toEqual(['accepted']);
    expect(
      await tasks.finish(
        inst.id,
        'spawn',
        'w2',
        { status: 'running', powerState: 'running' },
        { outcome: 'succeeded' },
      ),
    ).toBe(true);
    expect(await instances.get(inst.id)).toMatchObject({
      status: 'running',
      powerState: 'running',
      task: null,
      taskStep: null,
      taskOwner: null,
    });
    expect(await logged()).toEqual(['succeeded']);
  });

  test('giveBack keeps the task and step for a later run', async () => {
    const inst = await instance('pending', 'spawn');
    await tasks.takeLease(inst.id, 'spawn', 'w1', 30);
    await tasks.recordStep(inst.id, 'spawn', 'w1', 'image');
    expect(await tasks.giveBack(inst.id, 'spawn', 'w1')).toBe(true);
    expect(await tasks.takeLease(inst.id, 'spawn', 'w2', 30)).toMatchObject({
      taskStep: 'image',
      taskOwner: 'w2',
    });
  });
});

describe('delete', () => {
  test('preempts a spawn in flight: the spawn’s worker is fenced, the delete releases the claim and the row', async () => {
    const inst = await instance('pending', 'spawn');
    await tasks.takeLease(inst.id, 'spawn', 'w1', 30);
    expect(await tasks.claim(scope(), inst.id, del)).toMatchObject({
      task: 'delete',
      status: 'deleting',
      taskOwner: null,
    });
    expect(await tasks.recordStep(inst.id, 'spawn', 'w1', 'domain')).toBe(false);
    const moved = await new Transactions(db).run((trx) =>
      tasks.moveHost(trx, inst.id, 'spawn', 'w1', { hostId: null, spawnAttempts: 1 }),
    );
    expect(moved).toBe(false);
    const before = (await hosts.find(hostId))!.vcpus.used;
    expect(await tasks.finishDelete(inst.id, 'w2')).toBe(false);
    await tasks.takeLease(inst.id, 'delete', 'w2', 30);
    expect(await tasks.finishDelete(inst.id, 'w2')).toBe(true);
    expect(await instances.get(inst.id)).toBeUndefined();
    expect((await hosts.find(hostId))!.vcpus.used).toBe(before - 1);
    expect(await hosts.claimDrift()).toEqual([]);
  });

  test('does not preempt other tasks', async () => {
    const inst = await instance('running', null);
    await tasks.claim(scope(), inst.id, stop);
    expect(await tasks.claim(scope(), inst.id, del)).toEqual({ reason: 'busy', task: 'stop' });
  });
});

describe('resize', () => {
  const resize = { task: 'resize', from: ['stopped'], transient: 'resizing' } as const;
  const claimOf = async (id: string) =>
    db('claims').where({ instance_id: id }).first('vcpus', 'memory_mb', 'disk_gb');

  test('the task claim and the new size commit together', async () => {
    const inst = await instance('stopped', null);
    await new Transactions(db).run(async (trx) => {
      expect(await tasks.claim(scope(), inst.id, resize, trx)).toMatchObject({ task: 'resize' });
      expect(await hosts.resizeClaim(inst.id, { vcpus: 2, memoryMB: 1024, diskGB: 1 }, trx)).toBe(true);
    });
    expect(await instances.get(inst.id)).toMatchObject({ task: 'resize', status: 'resizing' });
    expect(await claimOf(inst.id)).toEqual({ vcpus: 2, memory_mb: 1024, disk_gb: 1 });
  });

  test('a host without room, or a crash between the two, leaves neither the task nor a new size', async () => {
    const inst = await instance('stopped', null);
    const tx = new Transactions(db);
    // More than the host has: the check constraint refuses it inside the transaction (a savepoint).
    await expect(
      tx.run(async (trx) => {
        await tasks.claim(scope(), inst.id, resize, trx);
        if (!(await hosts.resizeClaim(inst.id, { vcpus: 999, memoryMB: 512, diskGB: 1 }, trx)))
          throw new Error('no room');
      }),
    ).rejects.toThrow('no room');
    // A process dying after the claim is a transaction that never commits.
    await expect(
      tx.run(async (trx) => {
        await tasks.claim(scope(), inst.id, resize, trx);
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(await instances.get(inst.id)).toMatchObject({ task: null, status: 'stopped' });
    expect(await claimOf(inst.id)).toEqual({ vcpus: 1, memory_mb: 512, disk_gb: 1 });
    expect(await hosts.claimDrift()).toEqual([]);
  });
});

describe('deadline', () => {
  test('a task past its deadline with no live worker fails, and its action-log entry with it', async () => {
    const admin = new InstanceAdminModel(db);
    const actions = new InstanceActionsModel(db);
    const due = await instance('starting', 'start');
    const live = await instance('stopping', 'stop');
    for (const [inst, action] of [
      [due, 'start'],
      [live, 'stop'],
    ] as const)
      await actions.record({ instanceId: inst.id, accountId, action, requestedBy: 'test' });
    await tasks.takeLease(live.id, 'stop', 'w1', 30);
    // Both were claimed an hour ago; only `due` has no live worker (its lease was given back).
    await db('instances')
      .whereIn('id', [due.id, live.id])
      .update({ task_claimed_at: db.raw("now() - interval '1 hour'") });
    const expired = await admin.expireTasks(600, 30);
    expect(expired.filter((t) => [due.id, live.id].includes(t.id))).toEqual([
      { id: due.id, task: 'start', reason: 'start did not finish within 600 s (its host did not answer)' },
    ]);
    expect(await instances.get(due.id)).toMatchObject({ status: 'error', task: null, taskOwner: null });
    expect(await instances.get(live.id)).toMatchObject({ status: 'stopping', task: 'stop' });
    const [dueLog] = await actions.list(due.id);
    expect(dueLog).toMatchObject({ outcome: 'failed', detail: expired[0]!.reason });
    expect(dueLog!.finishedAt).toBeInstanceOf(Date);
    expect((await actions.list(live.id)).map((a) => a.outcome)).toEqual(['accepted']);
  });
});
