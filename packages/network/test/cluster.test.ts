// The driver on a clustered northbound database (three raft members over SSL): it writes through
// the leader whatever endpoint it was given first, refuses a list of followers only, and when the
// leader is SIGKILLed it finds the new one and carries on with nothing lost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NbConnection } from '../src/db.js';
import { ovn, type NetworkPlane } from '../src/index.js';
import { startNbCluster, type NbCluster } from './nb-cluster.js';

let cluster: NbCluster;

beforeAll(async () => {
  cluster = await startNbCluster();
}, 60_000);

afterAll(() => cluster?.stop());

/** Retries `fn` through an election (the driver's callers re-run a failed step the same way). */
async function eventually<T>(fn: () => Promise<T>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('a raft cluster over SSL', () => {
  it('connects to the leader, moves to the new one when it dies, and loses nothing', async () => {
    const leader = await cluster.leader();
    // The list starts with a follower: the connection still goes to the leader.
    const order = [1, 2, 0].map((k) => cluster.members[(leader + k) % 3]!.ssl);
    const conn = new NbConnection(order.join(','), { tls: cluster.tls });
    expect((await conn.get()).endpoint).toBe(cluster.members[leader]!.ssl);
    await conn.close();

    const plane: NetworkPlane = await ovn({ endpoint: order.join(','), tls: cluster.tls });
    try {
      await plane.ensureVpc({ id: 'vpc-raft00001', cidr: '10.9.0.0/16' });
      const killed = Date.now();
      cluster.members[leader]!.proc.kill('SIGKILL');
      const next = await cluster.leader();
      expect(next).not.toBe(leader);
      await eventually(() => plane.ensureVpc({ id: 'vpc-raft00002', cidr: '10.10.0.0/16' }));
      console.log(`northbound leader SIGKILLed: the next write committed ${Date.now() - killed} ms later`);
      expect((await eventually(() => plane.inventory())).vpcs.sort()).toEqual([
        'vpc-raft00001',
        'vpc-raft00002',
      ]);
    } finally {
      await plane.close();
    }
    // The old leader comes back as a follower and catches up.
    await cluster.members[leader]!.start();
  }, 90_000);

  it('refuses a list of followers only, naming why', async () => {
    const leader = await cluster.leader();
    const followers = cluster.members.filter((_, i) => i !== leader).map((m) => m.ssl);
    await expect(new NbConnection(followers.join(','), { tls: cluster.tls }).get()).rejects.toThrow(
      /no northbound leader \(.*not the leader.*not the leader\)/,
    );
  });
});
