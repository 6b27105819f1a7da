// What must hold after (and at checkpoints during) the chaos soak, read from the database and from
// every host: instances settle, claims add up, nothing orphaned on a host, quotas match the rows.
import pg from 'pg';
import type { KumoClient } from '@kumo/client';
import type { TestHost } from '../../test/support/hosts.js';

/** One violated invariant. */
export type Violation = string;

async function rows<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Instances and disks still moving (a task in flight or a transient status). */
export async function unsettled(
  dbUrl: string,
): Promise<{ id: string; status: string; task: string | null }[]> {
  return rows(
    dbUrl,
    `SELECT id, status, task FROM instances
      WHERE task IS NOT NULL OR status NOT IN ('running', 'stopped', 'error')
     UNION ALL
     SELECT id, status, task FROM disks WHERE task IS NOT NULL OR status LIKE '%ing'
     ORDER BY id`,
  );
}

/** Every check that does not need the instances to have settled, plus those that do when `final`. */
export async function check(
  dbUrl: string,
  hosts: { host: TestHost; id: string; prefix: string }[],
  accounts: { name: string; client: KumoClient }[],
  final: boolean,
  /** The rbd images in the disks' pool (`rbd ls`), when the soak has cloud disks. */
  poolImages?: () => string[],
): Promise<Violation[]> {
  const v: Violation[] = [];
  const drift = await rows<{ id: string }>(
    dbUrl,
    `SELECT h.id FROM hosts h LEFT JOIN claims c ON c.host_id = h.id GROUP BY h.id
      HAVING h.used_vcpus <> COALESCE(sum(c.vcpus),0) OR h.used_memory_mb <> COALESCE(sum(c.memory_mb),0)
          OR h.used_disk_gb <> COALESCE(sum(c.disk_gb),0)`,
  );
  for (const d of drift) v.push(`claims do not add up to usage on host ${d.id}`);
  const claimless = await rows<{ id: string }>(
    dbUrl,
    `SELECT i.id FROM instances i LEFT JOIN claims c ON c.instance_id = i.id
      WHERE i.host_id IS NOT NULL AND c.instance_id IS NULL`,
  );
  for (const c of claimless) v.push(`instance ${c.id} is placed but holds no claim`);
  if (!final) return v;

  for (const u of await unsettled(dbUrl)) v.push(`${u.id} did not settle (${u.status}, ${u.task})`);
  const placed = await rows<{ id: string; host_id: string; status: string; error_reason: string | null }>(
    dbUrl,
    'SELECT id, host_id, status, error_reason FROM instances',
  );
  const why = (id: string) => {
    const p = placed.find((x) => x.id === id);
    return p ? ` (${p.status}${p.error_reason ? `: ${p.error_reason.slice(0, 160)}` : ''})` : '';
  };
  for (const { host, id: hostId, prefix } of hosts) {
    const mine = new Set(placed.filter((p) => p.host_id === hostId).map((p) => p.id));
    const domains = (await host.virsh(['list', '--all', '--name']))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith(prefix));
    for (const d of domains)
      if (!mine.has(d.slice(prefix.length))) v.push(`orphan domain ${d} on ${host.name}`);
    for (const id of mine)
      if (!domains.includes(`${prefix}${id}`)) v.push(`instance ${id} has no domain${why(id)}`);
    const vols = (await host.virsh(['vol-list', `${prefix}pool`]))
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter((n) => /-(root|seed)(-[a-z0-9]+)?\.(qcow2|iso)$/.test(n));
    for (const n of vols) {
      const id = /^(?:.*?)(i-[a-z0-9]+)-(root|seed)/.exec(n)?.[1];
      if (id && !mine.has(id)) v.push(`orphan volume ${n} on ${host.name}`);
    }
  }
  if (poolImages) {
    // Every settled disk has its image in the pool and every image in the pool has its disk.
    const disks = await rows<{ id: string; status: string; task: string | null }>(
      dbUrl,
      'SELECT id, status, task FROM disks',
    );
    for (const d of disks) if (d.status.startsWith('error')) v.push(`disk ${d.id} failed (${d.status})`);
    // Disks' images are named by their ids; image bases (img-…) are not disks.
    const images = new Set(poolImages().filter((n) => !n.startsWith('img-')));
    for (const d of disks) if (!images.has(d.id)) v.push(`disk ${d.id} has no rbd image`);
    const known = new Set(disks.map((d) => d.id));
    for (const n of images) if (!known.has(n)) v.push(`orphan rbd image ${n}`);
    const attached = await rows<{ disk_id: string }>(
      dbUrl,
      `SELECT a.disk_id FROM disk_attachments a LEFT JOIN instances i ON i.id = a.instance_id
        WHERE i.id IS NULL`,
    );
    for (const a of attached) v.push(`disk ${a.disk_id} is attached to an instance that is gone`);
  }
  for (const a of accounts) {
    const q = await a.client.describeQuotas({ filters: [{ name: 'resourceTypes', values: ['instance'] }] });
    const { totalCount } = await a.client.describeInstances({ pageSize: 10 });
    const used = q.quotas[0]?.used;
    if (used !== totalCount)
      v.push(`account ${a.name}: quota says ${used} instances, there are ${totalCount}`);
  }
  return v;
}
