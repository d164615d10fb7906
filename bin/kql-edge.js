#!/usr/bin/env node
// The `kql-edge` command. It runs the compiled JavaScript in dist/, which the package ships; in a
// source checkout, `npm install` (prepare) or `npm run build` makes it.

import { fileURLToPath } from 'node:url';

// node:wasi (the module's WASI imports in the Node host) prints an ExperimentalWarning on every run;
// it says nothing about the user's rules or data, so it is dropped. Other warnings are kept.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...args) => {
  const type = typeof args[0] === 'string' ? args[0] : args[0]?.type;
  if (type === 'ExperimentalWarning' && String(warning).includes('WASI')) return;
  emitWarning(warning, ...args);
};

// Output piped into a reader that stops early (`kql-edge run ... | head`): stop quietly.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist')) throw err;
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`kql-edge: the compiled program (dist/) is missing: run \`npm install\` or \`npm run build\` in ${root}\n`);
  process.exit(3);
}
process.exitCode = await cli.main(process.argv);
