// audit_log: the audit trail of authenticated calls that could change something. Written off the
// request's critical path (the guards pool, asynchronous commit): a database crash can forget the
// last moments of it, never the state changes themselves, which their own transactions keep.
import type { Database } from '../db.js';

/** One audited call. */
export interface AuditEntry {
  accountId: string;
  accessKey: string;
  requestId: string;
  operation: string;
  method: string;
  path: string;
  resources: Record<string, string>;
  sourceIp: string;
  httpStatus: number;
  /** JD's error status (e.g. FAILED_PRECONDITION) when refused. */
  errorStatus?: string;
}

/** An entry as read back. */
export interface AuditRecord extends AuditEntry {
  id: number;
  at: Date;
}

interface AuditRow {
  id: number;
  at: Date;
  account_id: string;
  access_key: string;
  request_id: string;
  operation: string;
  method: string;
  path: string;
  resources: Record<string, string>;
  source_ip: string;
  http_status: number;
  error_status: string | null;
}

/** What to list. */
export interface AuditFilter {
  accountId?: string;
  operation?: string;
  since?: Date;
}

/** The audit trail. */
export class AuditLogModel {
  constructor(private readonly db: Database) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db<AuditRow>('audit_log').insert({
      account_id: e.accountId,
      access_key: e.accessKey,
      request_id: e.requestId,
      operation: e.operation,
      method: e.method,
      path: e.path,
      resources: JSON.stringify(e.resources) as never,
      source_ip: e.sourceIp,
      http_status: e.httpStatus,
      error_status: e.errorStatus ?? null,
    });
  }

  /** Newest first. */
  async page(f: AuditFilter, offset: number, limit: number): Promise<{ rows: AuditRecord[]; total: number }> {
    const q = this.db<AuditRow>('audit_log').modify((b) => {
      if (f.accountId) b.where('account_id', f.accountId);
      if (f.operation) b.where('operation', f.operation);
      if (f.since) b.where('at', '>=', f.since);
    });
    const [rows, [{ n }]] = await Promise.all([
      q.clone().orderBy('id', 'desc').offset(offset).limit(limit),
      q.clone().count({ n: '*' }) as unknown as Promise<[{ n: number | string }]>,
    ]);
    return {
      total: Number(n),
      rows: (rows as AuditRow[]).map((r) => ({
        id: r.id,
        at: r.at,
        accountId: r.account_id,
        accessKey: r.access_key,
        requestId: r.request_id,
        operation: r.operation,
        method: r.method,
        path: r.path,
        resources: r.resources,
        sourceIp: r.source_ip,
        httpStatus: r.http_status,
        ...(r.error_status ? { errorStatus: r.error_status } : {}),
      })),
    };
  }

  /**
   * Deletes entries older than `before`, `batch` rows per statement (short row locks, whatever
   * the backlog; SKIP LOCKED lets two kumods prune side by side); returns how many went.
   */
  async prune(before: Date, batch = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.raw<{ rowCount: number }>(
        `DELETE FROM audit_log WHERE id IN (
           SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)`,
        [before, batch],
      );
      total += n.rowCount;
      if (n.rowCount < batch) return total;
    }
  }
}
