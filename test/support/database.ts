// Gives each test file a fresh, empty database inside the run's PostgreSQL.
import pg from 'pg';
import { randomAlnum } from '@kumo/store';

/** Creates a new database and returns its URL; drop it with {@link dropTestDatabase}. */
export async function createTestDatabase(prefix = 'kumo_test'): Promise<string> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl)
    throw new Error('TEST_DATABASE_URL is not set: run through jest (global setup starts Postgres)');
  const name = `${prefix}_${randomAlnum(10)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by {@link createTestDatabase}, disconnecting anyone still attached. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
