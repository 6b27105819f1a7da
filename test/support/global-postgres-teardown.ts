// Jest global teardown: stops the PostgreSQL that global-postgres.ts started.
export default async function teardown(): Promise<void> {
  await globalThis.__KUMO_TEST_PG__?.stop();
}
