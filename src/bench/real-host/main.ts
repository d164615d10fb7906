#!/usr/bin/env node
// The real-host benchmark alone (npm run bench runs it too):
//   node dist/bench/real-host/main.js [--events N] [--rounds N] [--only NAME,...] [--no-peer-check] [--memory]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadBenchRules } from '../rules.js';
import { runRealHost, realHostMarkdown, REAL_HOST_DIR } from './run.js';

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const events = Number(arg(argv, '--events') ?? 20000);
  const rounds = Number(arg(argv, '--rounds') ?? 3);
  const only = arg(argv, '--only')?.split(',').filter(Boolean);
  const sets = await loadBenchRules();
  const command = `node dist/bench/real-host/main.js ${argv.map((a) => (/[\s'"]/.test(a) ? `"${a}"` : a)).join(' ')}`.trim();
  const r = await runRealHost(sets, { events, rounds, only, checkPeer: !argv.includes('--no-peer-check'), memory: argv.includes('--memory') }, (l) => process.stderr.write(l + '\n'), command);
  const md = realHostMarkdown(r).join('\n');
  await fs.mkdir(REAL_HOST_DIR, { recursive: true });
  await fs.writeFile(path.join(REAL_HOST_DIR, 'results.md'), md + '\n');
  await fs.writeFile(path.join(REAL_HOST_DIR, 'results.json'), JSON.stringify(r, null, 2) + '\n');
  process.stdout.write(md + '\n');
  return 0;
}

main(process.argv.slice(2)).then((c) => process.exit(c), (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
