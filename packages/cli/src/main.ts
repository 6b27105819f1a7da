#!/usr/bin/env node
// Entry point of the `kumo` command: runs the CLI against the real client and exits with its code.
import { defaultClient, runInherited } from './context.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  makeClient: defaultClient,
  run: runInherited,
});
process.exitCode = code;
