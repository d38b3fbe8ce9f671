#!/usr/bin/env node
import { main } from './cli.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // main reports every error itself; this is a last resort for a bug in it.
    process.stderr.write(`k1s0-scheduler: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
