// The shape of build/bench/results.json.
import type { Timing } from './measure.js';
import type { InterpreterCost } from './interpreter.js';
import type { EngineComparison } from './engines.js';
import type { TermsScaling } from './terms.js';
import type { AllocationCount } from './allocations.js';
import type { ProfileEntry } from './profile.js';
import type { RealHostResults } from './real-host/run.js';

export interface TimingRow extends Omit<Timing, 'samples'> {
  ratioToFloor?: number;
  ratioToByteScan?: number;
  /** Time above the floor: the module's own work (Fluent Bit sequence rows). */
  aboveFloorNs?: number;
  /** Spread of the repetitions: (max - min) / median. */
  spread: number;
}

export interface TargetResult {
  target: string;
  value: string;
  met: boolean | null;
  note?: string;
}

export interface BenchResults {
  mode: 'short' | 'full';
  startedAt: string;
  durationSeconds?: number;
  machine: { node: string; cpu: string; cores: number; platform: string };
  records: { count: number; meanBytes: number; medianBytes: number; forbidShare: number; seed: number };
  notes: string[];
  fluentBitSequence: TimingRow[];
  moduleOnly: TimingRow[];
  interpreter?: { records: number; passes: number; rows: (InterpreterCost & { ratioToByteScan: number; ratioToFloor: number })[] };
  engines?: EngineComparison;
  sizes: { bucket: string; records: number; meanBytes: number; rows: TimingRow[] }[];
  rules: { rules: number; name: string; nsPerRecord: number; ratioToSeed: number; aboveFloorNs: number }[];
  terms?: TermsScaling;
  allocations: { name: string; count: AllocationCount }[];
  profile?: { name: string; entries: ProfileEntry[] }[];
  /** Share of records passing each rule's literal prefilter (plain substring tests); candidateShare: passing at least one rule's. */
  prefilter: { ruleSet: string; candidateShare: number; rules: { rule: string; literals: string[][]; passShare: number }[] };
  phases: { phase: string; seconds: number }[];
  processMaxRssBytes: number;
  targets: TargetResult[];
  /** The real Fluent Bit (absent: not run; `skipped` says why). */
  realHost?: RealHostResults;
}
