// JD's charge model for instances: parsing a ChargeSpec, the charge a new or renewed prepaid
// instance gets, and which lifecycle operations its charge refuses. Pure over the injected clock;
// the timer that acts on expiry is charge-timer.ts.
import { Errors } from '@kumo/contract';
import { CHARGE_MODES, type ChargeMode, type InstanceCharge, type InstanceRecord } from '@kumo/store';
import type { Clock } from './clock.js';

/** A validated ChargeSpec. */
export interface ChargeRequest {
  mode: ChargeMode;
  /** Prepaid only: the period bought. */
  unit?: 'month' | 'year';
  duration?: number;
}

/** JD's prepaid periods: 1–9 months or 1–3 years. */
const MAX_DURATION = { month: 9, year: 3 } as const;

/** Validates a ChargeSpec as JD's createInstances takes it (`field` names it in errors). */
export function parseChargeSpec(
  spec:
    | {
        chargeMode?: string | undefined;
        chargeUnit?: string | undefined;
        chargeDuration?: number | undefined;
      }
    | undefined,
  field: string,
): ChargeRequest {
  const mode = spec?.chargeMode || 'postpaid_by_duration';
  if (!(CHARGE_MODES as readonly string[]).includes(mode))
    throw Errors.invalidParameter(`${field}.ChargeMode`, `must be one of ${CHARGE_MODES.join(', ')}`);
  if (mode !== 'prepaid_by_duration') {
    if (spec?.chargeUnit || spec?.chargeDuration !== undefined)
      throw Errors.invalidParameter(
        `${field}.ChargeUnit`,
        'only prepaid_by_duration takes a unit and duration',
      );
    return { mode: mode as ChargeMode };
  }
  return { mode: 'prepaid_by_duration', ...parsePeriod(spec?.chargeUnit, spec?.chargeDuration, field) };
}

/**
 * A disk's or elastic IP's ChargeSpec: Kumo meters them by duration (the usage ledger) but has no
 * prepaid or by-usage charging for them yet, so any other mode is refused rather than ignored.
 */
export function requirePostpaid(spec: unknown, field: string): void {
  if (spec === undefined || spec === null) return;
  if (typeof spec !== 'object') throw Errors.invalidParameter(field);
  const s = spec as Record<string, unknown>;
  const str = (k: string) => (typeof s[k] === 'string' ? s[k] : undefined);
  const num = (k: string) => (typeof s[k] === 'number' ? s[k] : undefined);
  const parsed = parseChargeSpec(
    { chargeMode: str('chargeMode'), chargeUnit: str('chargeUnit'), chargeDuration: num('chargeDuration') },
    field,
  );
  if (parsed.mode !== 'postpaid_by_duration')
    throw Errors.unsupported(
      `${field}.ChargeMode ${parsed.mode} (disks and elastic IPs are postpaid_by_duration)`,
    );
}

/** A prepaid period: unit `month` (default) or `year`, duration 1–9 months or 1–3 years (default 1). */
export function parsePeriod(
  unit: string | undefined,
  duration: number | undefined,
  field: string,
): { unit: 'month' | 'year'; duration: number } {
  const u = unit || 'month';
  if (u !== 'month' && u !== 'year')
    throw Errors.invalidParameter(`${field}.ChargeUnit`, 'must be month or year');
  const d = duration ?? 1;
  if (!Number.isInteger(d) || d < 1 || d > MAX_DURATION[u])
    throw Errors.outOfRange(`${field}.ChargeDuration`);
  return { unit: u, duration: d };
}

/** `from` plus whole months, kept on the same day of the month or its last day (Jan 31 + 1 = Feb 28). */
export function addMonths(from: Date, months: number): Date {
  const t = new Date(from.getTime());
  const day = t.getUTCDate();
  t.setUTCDate(1);
  t.setUTCMonth(t.getUTCMonth() + months);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last));
  return t;
}

/** Charges, expiry and the operations a charge refuses, over one clock and grace period. */
export class ChargePolicy {
  constructor(
    private readonly clock: Clock,
    /** Seconds from expiry to retirement, and again from retirement to deletion. */
    readonly graceSeconds: number,
  ) {}

  now(): Date {
    return this.clock();
  }

  /** The charge a new instance starts with. */
  chargeFor(req: ChargeRequest): InstanceCharge {
    const now = this.clock();
    if (req.mode !== 'prepaid_by_duration')
      return { mode: req.mode, startAt: now, expiresAt: null, retireAt: null, phase: 'active' };
    const expiresAt = this.extend(now, req.unit ?? 'month', req.duration ?? 1);
    return {
      mode: req.mode,
      startAt: now,
      expiresAt,
      retireAt: this.retireAfter(expiresAt),
      phase: 'active',
    };
  }

  /** The expiry a renewal leads to: from the current expiry, or from now if it has passed. */
  renewedExpiry(
    current: Date,
    unit: 'month' | 'year',
    duration: number,
  ): { expiresAt: Date; retireAt: Date } {
    const now = this.clock();
    const expiresAt = this.extend(current > now ? current : now, unit, duration);
    return { expiresAt, retireAt: this.retireAfter(expiresAt) };
  }

  /** Refuses what a prepaid instance's charge forbids: deleting before expiry, starting once expired. */
  check(inst: InstanceRecord, task: string): void {
    const c = inst.charge;
    if (c.mode !== 'prepaid_by_duration') return;
    if (task === 'delete' && c.phase === 'active' && c.expiresAt && c.expiresAt > this.clock())
      throw Errors.prepaidNotExpired(inst.id);
    if ((task === 'start' || task === 'reboot') && c.phase !== 'active') throw Errors.prepaidExpired(inst.id);
  }

  /** JD's chargeStatus: `normal` while paid up, `expired` after, `retired` once retired. */
  status(c: InstanceCharge): string {
    if (c.mode !== 'prepaid_by_duration') return 'normal';
    if (c.phase === 'retired') return 'retired';
    return c.phase === 'expired' || (c.expiresAt && c.expiresAt <= this.clock()) ? 'expired' : 'normal';
  }

  private extend(from: Date, unit: 'month' | 'year', duration: number): Date {
    const t = addMonths(from, unit === 'year' ? duration * 12 : duration);
    t.setUTCMilliseconds(0);
    return t;
  }

  private retireAfter(expiresAt: Date): Date {
    return new Date(expiresAt.getTime() + this.graceSeconds * 1000);
  }
}
