// Stream fixtures of EQL sequence rules (tests/fixtures/pack-sequences/<rule file stem>.json): each
// stream is a list of raw audit events fed to one fresh filter in order, with the verdict expected
// for every record (the auditIDs of the sequence it completes, or null) and why.
import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from './evaluator.js';

export const SEQUENCE_FIXTURE_DIR = path.join(ROOT, 'tests/fixtures/pack-sequences');

export interface SequenceStream {
  why: string;
  events: Record<string, unknown>[];
  /** Per event: the auditIDs of the completed sequence's stages, or null (no alert). */
  expected: (string[] | null)[];
  /** Options of the build for this stream (e.g. a learning period in ms). */
  learning_ms?: number;
}

export interface SequenceFixture {
  stem: string;
  rule_file: string;
  rule_id: string;
  streams: SequenceStream[];
}

export function sequenceFixtures(): SequenceFixture[] {
  return readdirSync(SEQUENCE_FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ stem: f.slice(0, -5), ...(JSON.parse(readFileSync(path.join(SEQUENCE_FIXTURE_DIR, f), 'utf8')) as Omit<SequenceFixture, 'stem'>) }));
}
