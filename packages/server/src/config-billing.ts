// The billing part of kumod's configuration: the operator's price list (YAML, like the instance
// type catalogue), the test hook that replaces kumod's clock, and how long the audit trail keeps
// its entries. Parsed once, by parseConfig.
import { fileURLToPath } from 'node:url';
import { loadPrices, type PriceList } from './billing/prices.js';
import { ConfigError } from './config-error.js';

/** Metering and charging settings. */
export interface BillingConfig {
  pricesFile: string;
  prices: PriceList;
  /**
   * Test hook: a file holding an ISO 8601 time that is kumod's clock (read on every use) for the
   * usage ledger and prepaid expiry. Undefined in production: the ledger uses the database's clock.
   */
  clockFile: string | undefined;
  /** Seconds an expired prepaid instance stays stopped before it is retired, then deleted. */
  retireGraceSeconds: number;
  /** How often the charge timer sweep looks for prepaid instances that reached a deadline. */
  sweepIntervalMs: number;
  /** The audit trail's retention: entries older than this many days are deleted (0: kept forever). */
  auditRetentionDays: number;
  /** How often the audit trail is pruned. */
  auditPruneIntervalMs: number;
}

/** The variables of this section and their defaults (merged into CONFIG_VARIABLES). */
export const BILLING_VARIABLES = {
  KUMO_PRICES: '',
  KUMO_TEST_CLOCK_FILE: '',
  KUMO_PREPAID_GRACE_SECONDS: '604800',
  KUMO_CHARGE_SWEEP_INTERVAL_MS: '10000',
  KUMO_AUDIT_RETENTION_DAYS: '400',
  KUMO_AUDIT_PRUNE_INTERVAL_MS: '3600000',
} as const;

type Name = keyof typeof BILLING_VARIABLES;

/** Parses the billing section. */
export function parseBilling(
  get: (name: Name) => string,
  int: (name: Name, min: number, max: number) => number,
): BillingConfig {
  const pricesFile =
    get('KUMO_PRICES') || fileURLToPath(new URL('../catalogue/prices.yaml', import.meta.url));
  const clockFile = get('KUMO_TEST_CLOCK_FILE') || undefined;
  if (clockFile && !clockFile.startsWith('/'))
    throw new ConfigError(`KUMO_TEST_CLOCK_FILE must be an absolute path, got "${clockFile}"`);
  return {
    pricesFile,
    prices: loadPrices(pricesFile),
    clockFile,
    retireGraceSeconds: int('KUMO_PREPAID_GRACE_SECONDS', 0, 10 * 365 * 86_400),
    sweepIntervalMs: int('KUMO_CHARGE_SWEEP_INTERVAL_MS', 50, 3_600_000),
    auditRetentionDays: int('KUMO_AUDIT_RETENTION_DAYS', 0, 100 * 365),
    auditPruneIntervalMs: int('KUMO_AUDIT_PRUNE_INTERVAL_MS', 100, 86_400_000),
  };
}
