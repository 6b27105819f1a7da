// The storage part of kumod's configuration: disk and snapshot quotas, and how the storage worker
// leases and polls its tasks. Parsed once, by parseConfig; its variables are listed in
// CONFIG_VARIABLES with the rest. The backends themselves are the admin's, per AZ, in the database.

/** The storage plane's settings. */
export interface StorageConfig {
  /** Per-account limits (JD's disk describeQuota types `disk` and `snapshot`). */
  quotas: { disk: number; snapshot: number };
  /** How long a worker's claim on a disk task lasts without renewal (a killed kumod's lapses). */
  leaseSeconds: number;
  /** How often a worker looks for tasks besides being kicked by the API. */
  intervalMs: number;
}

/** The variables of this section and their defaults (merged into CONFIG_VARIABLES). */
export const STORAGE_VARIABLES = {
  KUMO_QUOTA_DISK: '50',
  KUMO_QUOTA_SNAPSHOT: '100',
  KUMO_STORAGE_LEASE_SECONDS: '30',
  KUMO_STORAGE_INTERVAL_MS: '2000',
} as const;

type Name = keyof typeof STORAGE_VARIABLES;

/** Parses the storage section. */
export function parseStorage(int: (name: Name, min: number, max: number) => number): StorageConfig {
  return {
    quotas: { disk: int('KUMO_QUOTA_DISK', 0, 100_000), snapshot: int('KUMO_QUOTA_SNAPSHOT', 0, 100_000) },
    leaseSeconds: int('KUMO_STORAGE_LEASE_SECONDS', 2, 3600),
    intervalMs: int('KUMO_STORAGE_INTERVAL_MS', 50, 600_000),
  };
}
