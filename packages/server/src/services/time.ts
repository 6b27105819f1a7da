// JD Cloud's time formats: "YYYY-MM-DD HH:mm:ss" (UTC) for resource times.

/** Formats a resource time as JD does (`launchTime`, `createTime`). */
export function formatJdTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
