// After a run: which hosts hold more claimed capacity than they have (sum of claims vs floor(total ×
// ratio), all in SQL), and where hosts.used_* drifted from the claims. Read-only.

import type { Knex } from 'knex';

/** Per-dimension excess of one oversubscribed host. */
interface OverRow {
  id: string;
  vcpus_over: string;
  memory_over: string;
  disk_over: string;
}

/** Oversubscribed hosts and drifted hosts, with the worst excess in each dimension. */
export async function audit(db: Knex) {
  const { rows: over } = await db.raw<{ rows: OverRow[] }>(`
    SELECT h.id,
           sum(c.vcpus)     - floor(h.total_vcpus * h.cpu_ratio)        AS vcpus_over,
           sum(c.memory_mb) - floor(h.total_memory_mb * h.memory_ratio) AS memory_over,
           sum(c.disk_gb)   - floor(h.total_disk_gb * h.disk_ratio)     AS disk_over
      FROM hosts h JOIN claims c ON c.host_id = h.id
     GROUP BY h.id
    HAVING sum(c.vcpus) > floor(h.total_vcpus * h.cpu_ratio)
        OR sum(c.memory_mb) > floor(h.total_memory_mb * h.memory_ratio)
        OR sum(c.disk_gb) > floor(h.total_disk_gb * h.disk_ratio)`);
  const { rows: drift } = await db.raw<{ rows: { id: string }[] }>(`
    SELECT h.id FROM hosts h LEFT JOIN claims c ON c.host_id = h.id
     GROUP BY h.id
    HAVING h.used_memory_mb <> COALESCE(sum(c.memory_mb), 0)
        OR h.used_vcpus <> COALESCE(sum(c.vcpus), 0)
        OR h.used_disk_gb <> COALESCE(sum(c.disk_gb), 0)`);
  const {
    rows: [fill],
  } = await db.raw<{
    rows: { claims: number; memory_fill: number }[];
  }>(`SELECT (SELECT count(*) FROM claims)::int AS claims,
      round(100.0 * (SELECT COALESCE(sum(memory_mb), 0) FROM claims)
        / (SELECT sum(floor(total_memory_mb * memory_ratio)) FROM hosts WHERE enabled AND health = 'up'), 1)::float AS memory_fill`);
  const max = (k: keyof OverRow) => over.reduce((m, r) => Math.max(m, Number(r[k])), 0);
  return {
    oversubscribed: over.length,
    worst: { vcpus: max('vcpus_over'), memoryMB: max('memory_over'), diskGB: max('disk_over') },
    drifted: drift.length,
    claims: fill?.claims ?? 0,
    memoryFillPct: fill?.memory_fill ?? 0,
  };
}
