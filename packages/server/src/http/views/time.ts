// JD Cloud's time formats on the wire: "YYYY-MM-DD HH:mm:ss" (UTC) for resource times.

/** Formats a resource time as JD does (`launchTime`, `createTime`). */
export function formatJdTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Formats a billing time as JD does (`chargeStartTime`: ISO 8601 without milliseconds). */
export function formatJdChargeTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
