// Builds the generic evaluator module (no program inside) into build/: the Node host, the tests and
// the benchmark load rule programs into it at run time. (The WASI command needs its program built in:
// `kql-edge build` writes it next to each filter module.)
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildModule, PACKAGE_ROOT } from '../dist/build/module.js';

const out = path.join(PACKAGE_ROOT, 'build');
await fs.mkdir(out, { recursive: true });
for (const entry of ['filter']) {
  const bytes = await buildModule({ entry });
  const file = path.join(out, entry === 'filter' ? 'evaluator.wasm' : 'evaluator.wasi.wasm');
  await fs.writeFile(file, bytes);
  console.log(`built ${path.relative(PACKAGE_ROOT, file)} (${bytes.length} bytes)`);
}
