// Store-level errors: Postgres/knex errors are translated here so their types never leave the store.

/** A unique constraint refused the write (Postgres 23505). */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string | undefined) {
    super(`unique constraint ${constraint ?? '(unknown)'} violated`);
    this.name = 'UniqueViolation';
  }
}

/** A CHECK constraint refused the write (Postgres 23514). */
export class CheckViolation extends Error {
  constructor(readonly constraint: string | undefined) {
    super(`check constraint ${constraint ?? '(unknown)'} violated`);
    this.name = 'CheckViolation';
  }
}

/** Runs a database call, translating the Postgres errors callers are expected to handle. */
export async function translatePgErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505') throw new UniqueViolation(e.constraint);
    if (e.code === '23514') throw new CheckViolation(e.constraint);
    throw err;
  }
}
