#!/usr/bin/env node
// Regenerates samples/audit.ndjson (400 raw Kubernetes audit events from the benchmark generator with
// a fixed seed), so the committed sample can always be rebuilt byte for byte.
// Needs the compiled sources: run `npx tsc -p tsconfig.json` first.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleEvents, SAMPLE_SEED } from '../dist/bench/sample.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'samples', 'audit.ndjson');
const events = sampleEvents();
writeFileSync(out, events.join('\n') + '\n');
process.stderr.write(`wrote ${events.length} events to ${path.relative(process.cwd(), out)} (seed ${SAMPLE_SEED})\n`);
