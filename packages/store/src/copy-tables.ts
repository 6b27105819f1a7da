// Copies Kumo's tables from one PostgreSQL database into another with the same schema (the
// embedded cluster's move from SQL_ASCII to UTF-8): one transaction on the target, text checked to
// be valid UTF-8 first so nothing is silently changed, serial sequences continued.
import pg from 'pg';

const BATCH = 500;

/** Whether the cluster's Kumo database is SQL_ASCII. */
export async function isSqlAscii(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const r = await c.query(
      'SELECT pg_encoding_to_char(encoding) AS e FROM pg_database WHERE datname = current_database()',
    );
    return r.rows[0]?.e === 'SQL_ASCII';
  });
}

interface Column {
  name: string;
  json: boolean;
  text: boolean;
}

/** Copies every Kumo table (not the migration bookkeeping, not pg-boss's queue) in one transaction; returns the row count. */
export async function copyKumoTables(fromUrl: string, toUrl: string): Promise<number> {
  return withClient(fromUrl, (src) =>
    withClient(toUrl, async (dst) => {
      const tables = (
        await src.query<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'knex\\_%'
            ORDER BY 1`,
        )
      ).rows.map((r) => r.t);
      let copied = 0;
      await dst.query('BEGIN');
      // Foreign keys are checked by the source already; rows arrive in table order, not FK order.
      await dst.query('SET LOCAL session_replication_role = replica');
      for (const table of tables) {
        const cols = await columnsOf(src, table);
        await checkUtf8(src, table, cols);
        await dst.query(`DELETE FROM ${ident(table)}`);
        const names = cols.map((c) => ident(c.name)).join(', ');
        const { rows } = await src.query<Record<string, unknown>>(`SELECT ${names} FROM ${ident(table)}`);
        for (let i = 0; i < rows.length; i += BATCH) {
          const batch = rows.slice(i, i + BATCH);
          const values: unknown[] = [];
          const tuples = batch.map((row) => {
            const slots = cols.map((c) => {
              const v = row[c.name];
              values.push(c.json && v !== null ? JSON.stringify(v) : v);
              return `$${values.length}`;
            });
            return `(${slots.join(', ')})`;
          });
          await dst.query(`INSERT INTO ${ident(table)} (${names}) VALUES ${tuples.join(', ')}`, values);
        }
        copied += rows.length;
        await resetSequences(dst, table);
      }
      await dst.query('COMMIT');
      return copied;
    }),
  );
}

async function columnsOf(c: pg.Client, table: string): Promise<Column[]> {
  const r = await c.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return r.rows.map((x) => ({
    name: x.name,
    json: x.type === 'json' || x.type === 'jsonb',
    text: x.type === 'text' || x.type.startsWith('character'),
  }));
}

/** Refuses a table whose text holds bytes that are not UTF-8: they would be changed, not copied. */
async function checkUtf8(c: pg.Client, table: string, cols: Column[]): Promise<void> {
  for (const col of cols.filter((x) => x.text)) {
    try {
      await c.query(
        `SELECT count(convert_from(convert_to(${ident(col.name)}, 'SQL_ASCII'), 'UTF8')) FROM ${ident(table)}`,
      );
    } catch {
      throw new Error(
        `cannot move the embedded database to UTF-8: ${table}.${col.name} holds bytes that are not UTF-8`,
      );
    }
  }
}

/** Serial columns continue after the copied rows. */
async function resetSequences(c: pg.Client, table: string): Promise<void> {
  const r = await c.query<{ col: string; seq: string }>(
    `SELECT column_name AS col, pg_get_serial_sequence($1, column_name) AS seq
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  for (const { col, seq } of r.rows.filter((x) => x.seq)) {
    await c.query(
      `SELECT setval($1, COALESCE((SELECT max(${ident(col)}) FROM ${ident(table)}), 0) + 1, false)`,
      [seq],
    );
  }
}

// Table and column names come from the catalogue, but are quoted all the same.
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
