// The audit trail: every authenticated call that could change something (every method but GET),
// accepted or refused, with who, which key, from where, about what, and the outcome. Recording
// never delays or fails a request; listing is the admin's (any account) or an account's own.
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

/** Audit recording and reads. */
export class AuditService {
  constructor(
    private readonly log: AuditLogModel,
    private readonly logger: Logger,
  ) {}

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
