// Builds the generic evaluator module (no program inside) into build/evaluator.wasm when its sources
// changed: the Node host, the tests and the benchmark load rule programs into it at run time.
import path from 'node:path';
import { ensureGenericFilter, GENERIC_FILTER } from '../dist/build/evaluator.js';
import { PACKAGE_ROOT } from '../dist/build/module.js';

const bytes = await ensureGenericFilter();
console.log(`evaluator: ${path.relative(PACKAGE_ROOT, GENERIC_FILTER)} (${bytes.length} bytes)`);
