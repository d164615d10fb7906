// Options several commands share.
import { Option, type Command } from 'commander';
import { OutputMode } from '../compiler/format.js';
import type { BuildOptions } from '../compiler/ir.js';
import { UserError } from './exit.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option('--rules <path>', 'rule file or folder (TOML, Kibana export NDJSON, rule JSON); repeatable', collect, [])
    .option('--ruleset <name>', 'rule.ruleset written into tags (default: the rule source folder or file name)')
    .option('--field-types <file>', 'field-type table (JSON) replacing the default Kubernetes audit table');
}

export function addBuildOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--output-mode <mode>', 'tag: forward every record; alerts-only: forward matched records only').choices(['tag', 'alerts-only']).default('tag'))
    .option('--new-terms-budget <bytes>', 'memory budget of the new-terms state, shared by the new_terms rules', parseSize, 16 * 1024 * 1024)
    .option('--sequence-budget <bytes>', 'memory budget of the EQL sequence state (pending sequences), shared by the sequence rules', parseSize, 4 * 1024 * 1024)
    .option('--window-budget <bytes>', 'memory budget of the ES|QL STATS windows (groups and their events), shared by the STATS rules', parseSize, 32 * 1024 * 1024)
    .option('--learning-period <duration>', 'record new terms, EQL sequences and ES|QL STATS windows without alerting for this long after the first event (e.g. 7d)', parseDuration, 0)
    .option('--include-description', 'also write rule.description into tags', false)
    .option('--kibana-fields', "also write Elastic's alert field names (kibana.alert.rule.name, .severity, .risk_score, .new_terms, .reason, ...)", false)
    .option('--state-file <path>', 'keep the new-terms state in this file (inside a folder the host gives the module, e.g. Fluent Bit Accessible_Paths)', '')
    .option('--snapshot-every-records <n>', 'write the state file every N records', parseCount, 100_000)
    .option('--snapshot-every-seconds <n>', 'write the state file every N seconds of event time', parseCount, 300)
    .option('--stats-every-records <n>', 'write the counters to stderr every N records (0: never)', parseCount, 0);
}

export function parseCount(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 0xffffffff) throw new UserError(`not a count: ${text}`);
  return Number(text);
}

export interface BuildFlags {
  outputMode: string;
  newTermsBudget: number;
  sequenceBudget?: number;
  windowBudget?: number;
  learningPeriod: number;
  includeDescription: boolean;
  kibanaFields: boolean;
  stateFile: string;
  snapshotEveryRecords: number;
  snapshotEverySeconds: number;
  statsEveryRecords: number;
  ruleset?: string;
}

export function buildOptionsFrom(flags: BuildFlags): Partial<BuildOptions> {
  return {
    outputMode: flags.outputMode === 'alerts-only' ? OutputMode.AlertsOnly : OutputMode.Tag,
    newTermsBudgetBytes: flags.newTermsBudget,
    ...(flags.sequenceBudget !== undefined ? { sequenceBudgetBytes: flags.sequenceBudget } : {}),
    ...(flags.windowBudget !== undefined ? { windowBudgetBytes: flags.windowBudget } : {}),
    learningMs: flags.learningPeriod,
    includeDescription: flags.includeDescription,
    kibanaFields: flags.kibanaFields,
    stateFile: flags.stateFile,
    snapshotEveryRecords: flags.snapshotEveryRecords,
    snapshotEverySeconds: flags.snapshotEverySeconds,
    statsEveryRecords: flags.statsEveryRecords,
    ruleset: flags.ruleset,
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, kib: 1024, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

export function parseSize(text: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UserError(`not a size: ${text} (examples: 16777216, 64MiB, 512k)`);
  const bytes = Number(m[1]) * unit;
  if (bytes > 0xffffffff) throw new UserError(`size too large: ${text} (at most 4 GiB)`);
  return bytes;
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000 };

export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new UserError(`not a duration: ${text} (examples: 30m, 12h, 7d)`);
  return Number(m[1]) * DURATION_MS[m[2]];
}
