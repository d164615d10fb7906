#!/usr/bin/env node
// npm run bench [-- --short]: measures kql-edge's evaluator against the floor, a byte scan, the
// naive alternative, a native build and an interpreter proxy; writes build/bench/results.{json,md}.
import { FULL, SHORT } from './config.js';
import { runBench } from './run.js';
import { writeResults } from './report.js';
import { BENCH_DIR } from './modules.js';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: npm run bench [-- --short]\n  --short  CI run (under two minutes on two cores); default: the full run\n');
    return 0;
  }
  const config = argv.includes('--short') ? SHORT : FULL;
  const results = await runBench(config, (line) => process.stderr.write(`bench: ${line}\n`));
  const written = await writeResults(results, BENCH_DIR);
  process.stdout.write(written.markdown + '\n');
  process.stderr.write(`bench: wrote ${written.json} and ${written.md}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
