// The committed sample audit log (samples/audit.ndjson) is this: regenerate it with
// `node scripts/make-sample.mjs` after `npx tsc -p tsconfig.json`.
import { generateEvents } from './generator.js';

/** Seed of the committed sample, chosen so that the default rule alerts several times and repeats are suppressed. */
export const SAMPLE_SEED = 20240523;
export const SAMPLE_COUNT = 400;

export function sampleEvents(): string[] {
  return generateEvents({ seed: SAMPLE_SEED, count: SAMPLE_COUNT });
}
