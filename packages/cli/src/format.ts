// Pure output formatting for the kumo CLI: aligned text tables and JSON; no I/O.

/** Output formats the global --output option accepts. */
export const OUTPUT_FORMATS = ['table', 'json'] as const;
/** One output format. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Stringifies one cell: null/undefined as '-', arrays comma-joined, objects as JSON; newlines flattened. */
export function cellText(value: unknown): string {
  let s: string;
  if (value === null || value === undefined || value === '') s = '-';
  else if (Array.isArray(value)) s = value.length === 0 ? '-' : value.map(cellText).join(',');
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  return s.replace(/[\r\n\t]+/g, ' ');
}

/** Display width: wide (CJK, fullwidth) code points count as two columns so tables stay aligned. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    w +=
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

/** A table column: header text and how to read the cell from a row. */
export interface Column<R> {
  header: string;
  value: (row: R) => unknown;
  /** Right-align (numbers). */
  right?: boolean;
}

/** Renders rows as a space-separated, left-aligned table with an upper-case header line; ends with a newline. */
export function renderTable<R>(columns: Column<R>[], rows: R[]): string {
  const cells = rows.map((r) => columns.map((c) => cellText(c.value(r))));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[i] as string))),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const pad = ' '.repeat((widths[i] as number) - displayWidth(v));
        if (columns[i]?.right) return pad + v;
        return i === values.length - 1 ? v : v + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

/** Renders key/value pairs as two aligned columns (for single objects). */
export function renderFields(fields: [string, unknown][]): string {
  const width = Math.max(0, ...fields.map(([k]) => displayWidth(k)));
  return (
    fields.map(([k, v]) => `${k}:${' '.repeat(width - displayWidth(k) + 1)}${cellText(v)}`).join('\n') + '\n'
  );
}

/** Pretty JSON with a trailing newline. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2) + '\n';
}

/** Renders rows as RFC 4180 CSV (header row, CRLF line ends, fields quoted when they need it). */
export function renderCsv<R>(columns: Column<R>[], rows: R[]): string {
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const line = (values: unknown[]) => values.map(field).join(',');
  return [line(columns.map((c) => c.header)), ...rows.map((r) => line(columns.map((c) => c.value(r))))]
    .map((l) => `${l}\r\n`)
    .join('');
}
