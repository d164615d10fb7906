// The rule sets the benchmark compares: the seed rule alone, the first ten rules of the Kubernetes
// pack, and the whole pack (when ../shared is there).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../rules/load.js';
import type { Rule } from '../rules/types.js';
import { compileProgram, type BuildOptions, type ProgramIR } from '../compiler/index.js';
import { PACKAGE_ROOT } from '../build/module.js';

export const SEED_RULE_DIR = path.join(PACKAGE_ROOT, 'rules', 'default');
export const PACK_DIR = path.resolve(PACKAGE_ROOT, '..', 'shared', 'rules', 'elastic-kubernetes');

export interface RuleSet {
  name: string;
  rules: Rule[];
  ir: ProgramIR;
  program: Uint8Array;
}

export interface BenchRuleSets {
  seed: RuleSet;
  /** Absent when ../shared is not there. */
  pack?: RuleSet;
  /** The seed rule and nine more from the pack. */
  pack10?: RuleSet;
  packNote?: string;
}

export function compileSet(name: string, rules: Rule[], options: Partial<BuildOptions> = {}): RuleSet {
  const { ir, bytes } = compileProgram(rules, options);
  return { name, rules, ir, program: bytes };
}

export async function loadBenchRules(options: Partial<BuildOptions> = {}): Promise<BenchRuleSets> {
  const seedRules = (await loadRules([SEED_RULE_DIR])).rules;
  if (seedRules.length === 0) throw new Error(`no rule loaded from ${SEED_RULE_DIR}`);
  const seed = compileSet('seed rule', seedRules, options);
  if (!existsSync(PACK_DIR)) return { seed, packNote: `Kubernetes pack not found at ${PACK_DIR} (../shared absent): pack rows skipped` };
  const packRules = (await loadRules([PACK_DIR])).rules;
  const seedId = seedRules[0]!.ruleId;
  const others = packRules.filter((r) => r.ruleId !== seedId);
  const inPack = packRules.find((r) => r.ruleId === seedId) ?? seedRules[0]!;
  return {
    seed,
    pack: compileSet(`Kubernetes pack (${packRules.length} rules)`, packRules, options),
    pack10: compileSet('10 rules', [inPack, ...others.slice(0, 9)], options),
  };
}
