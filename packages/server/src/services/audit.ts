// The audit trail: every authenticated call that could change something (every method but GET),
// accepted or refused, with who, which key, from where, about what, and the outcome. Recording
// never delays or fails a request; listing is the admin's (any account) or an account's own.
// Entries older than the retention (KUMO_AUDIT_RETENTION_DAYS) are pruned by every kumod on a
// timer: the prune is idempotent and batched, so replicas need no coordination and a crash mid-way
// leaves the rest for the next pass.
import type { AuditFilter, AuditLogModel, AuditRecord } from '@kumo/store';
import type { Logger } from '../logger.js';

/** What the HTTP layer reports about a finished request (the fields the trail keeps). */
export interface AuditedRequest {
  requestId: string;
  method: string;
  path: string;
  operation?: string | undefined;
  accountId?: string | undefined;
  accessKey?: string | undefined;
  params?: Record<string, string> | undefined;
  sourceIp: string;
  httpStatus: number;
  errorStatus?: string | undefined;
  /** A read sent with another method (the Tencent APIs POST their Describe actions). */
  readOnly?: boolean | undefined;
}

/** How long entries are kept (days; 0: forever) and how often they are pruned. */
export interface AuditRetention {
  auditRetentionDays: number;
  auditPruneIntervalMs: number;
}

const DAY_MS = 86_400_000;

/** Audit recording, reads and retention. */
export class AuditService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: AuditLogModel,
    private readonly logger: Logger,
    private readonly retention: AuditRetention = { auditRetentionDays: 0, auditPruneIntervalMs: 3_600_000 },
  ) {}

  /** Starts pruning (soon after start, then on the interval); nothing with a retention of 0. */
  start(): void {
    if (this.retention.auditRetentionDays === 0 || this.timer) return;
    const pass = () =>
      void this.prune().catch((err: unknown) => this.logger.warn({ err }, 'audit prune failed'));
    this.timer = setInterval(pass, this.retention.auditPruneIntervalMs).unref();
    setTimeout(pass, Math.min(5_000, this.retention.auditPruneIntervalMs)).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Deletes entries past the retention; returns how many. */
  async prune(now = new Date()): Promise<number> {
    if (this.retention.auditRetentionDays === 0) return 0;
    const n = await this.log.prune(new Date(now.getTime() - this.retention.auditRetentionDays * DAY_MS));
    if (n > 0)
      this.logger.info({ pruned: n, retentionDays: this.retention.auditRetentionDays }, 'audit trail pruned');
    return n;
  }

  /** Records a finished request if it is one the trail keeps. */
  observe(r: AuditedRequest): void {
    if (r.method === 'GET' || r.readOnly || !r.operation || !r.accountId || !r.accessKey) return;
    this.log
      .record({
        accountId: r.accountId,
        accessKey: r.accessKey,
        requestId: r.requestId,
        operation: r.operation,
        method: r.method,
        path: r.path,
        resources: r.params ?? {},
        sourceIp: r.sourceIp,
        httpStatus: r.httpStatus,
        ...(r.errorStatus ? { errorStatus: r.errorStatus } : {}),
      })
      .catch((err: unknown) =>
        this.logger.error({ err, requestId: r.requestId }, 'could not record the audit entry'),
      );
  }

  /** A page of entries, newest first. */
  page(f: AuditFilter, offset: number, limit: number): Promise<{ rows: AuditRecord[]; total: number }> {
    return this.log.page(f, offset, limit);
  }
}
