#!/usr/bin/env node
// The `kql-edge` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).

// node:wasi (the module's WASI imports in the Node host) prints an ExperimentalWarning on every run;
// it says nothing about the user's rules or data, so it is dropped. Other warnings are kept.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...args) => {
  const type = typeof args[0] === 'string' ? args[0] : args[0]?.type;
  if (type === 'ExperimentalWarning' && String(warning).includes('WASI')) return;
  emitWarning(warning, ...args);
};

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
