// The real-host benchmark: the same generated events through the real Fluent Bit with no filter,
// the floor module, a hand-written Lua filter (the seed rule, the peer a user would write), the seed
// module, a module of the pack's KQL rules alone (query + new_terms: the pack target) and the
// whole pack's module, interpreted (WAMR fast interpreter, Fluent Bit's default) and AOT
// (wamrc), with and without a state file. Rounds are rotated; each filter's cost is the CPU above the
// no-filter run of the same round, as a ratio to the floor's cost in that round (paired ratios: the
// machine is shared, absolute times drift).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { generateEvents } from '../generator.js';
import { BENCH_SEED } from '../records.js';
import { BENCH_DIR, cachedModule, floorModule } from '../modules.js';
import type { BenchRuleSets, RuleSet } from '../rules.js';
import { compileSet } from '../rules.js';
import { compileAot, findOnPath } from '../../build/aot.js';
import { runPipeline, realHostUnavailableReason, type FilterSpec, type RunCost } from './fluent-bit.js';
import { LUA_SEED_FUNCTION, LUA_SEED_SOURCE } from './lua-seed.js';
import { checkLuaPeer, type PeerCheck } from './peer-check.js';
import { memoryGrowth, type MemoryGrowth } from './memory.js';

export const REAL_HOST_DIR = path.join(BENCH_DIR, 'real-host');

export interface RealHostConfig {
  events: number;
  rounds: number;
  /** Only variants whose name contains one of these (all when empty). */
  only?: string[];
  /** Compare the Lua peer's verdicts with the seed module's. */
  checkPeer: boolean;
  /** Measure Fluent Bit's resident-size growth from 10^5 to 10^6 records through the pack. */
  memory?: boolean;
}

export interface RealHostRow {
  name: string;
  /** Median CPU seconds of the whole Fluent Bit process per run. */
  cpuSeconds: number;
  /** Median CPU per record above the no-filter run, µs. */
  aboveNoneUs?: number;
  /** Paired ratio to the floor (cost above no filter), median and range over rounds. */
  ratio?: number;
  ratioMin?: number;
  ratioMax?: number;
  maxRssBytes: number;
}

export interface RealHostResults {
  skipped?: string;
  events: number;
  meanBytes: number;
  rounds: number;
  command: string;
  rows: RealHostRow[];
  peer?: PeerCheck;
  memory?: MemoryGrowth;
  notes: string[];
}

interface Variant {
  name: string;
  filter: FilterSpec;
  /** State files this variant writes (removed before each run, so every run starts fresh). */
  stateFiles?: string[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function eventsFile(count: number): Promise<{ file: string; meanBytes: number }> {
  const file = path.join(REAL_HOST_DIR, `events-${BENCH_SEED}-${count}.ndjson`);
  if (!existsSync(file)) {
    const lines = generateEvents({ seed: BENCH_SEED, count });
    await fs.writeFile(file + '.tmp', lines.join('\n') + '\n');
    await fs.rename(file + '.tmp', file);
  }
  const bytes = (await fs.stat(file)).size;
  return { file, meanBytes: bytes / count - 1 };
}

async function filterModule(name: string, program: Uint8Array): Promise<string> {
  return (await cachedModule(`rh-${name}`, { entry: 'filter', program })).path;
}

async function aotOf(wasm: string): Promise<string> {
  const aot = wasm.replace(/\.wasm$/, '.aot');
  if (!existsSync(aot)) await compileAot(wasm, aot);
  return aot;
}

/** KQL's languages (query and new_terms rules are written in them). */
const KQL_LANGUAGES = new Set(['kuery', 'lucene']);

/** The pack's KQL rules (query + new_terms in kuery or lucene; kuery when unsaid), compiled alone, the count in the name. */
export function packKqlSet(pack: RuleSet): RuleSet | undefined {
  const rules = pack.rules.filter((r) => (r.type === 'query' || r.type === 'new_terms') && KQL_LANGUAGES.has(r.language ?? 'kuery'));
  if (rules.length === 0) return undefined;
  return compileSet(`pack's KQL rules (${rules.length}: query + new_terms)`, rules);
}

export async function runRealHost(sets: BenchRuleSets, config: RealHostConfig, log: (l: string) => void, command: string): Promise<RealHostResults> {
  const empty = (skipped: string): RealHostResults => ({ skipped, events: config.events, meanBytes: 0, rounds: 0, command, rows: [], notes: [] });
  const reason = realHostUnavailableReason();
  if (reason) return empty(`skipped (${reason})`);
  const notes: string[] = [];
  await fs.mkdir(REAL_HOST_DIR, { recursive: true });
  const { file: events, meanBytes } = await eventsFile(config.events);
  log(`real host: ${config.events} events, mean ${meanBytes.toFixed(0)} B`);
  const stateDir = path.join(REAL_HOST_DIR, 'state');
  await fs.mkdir(stateDir, { recursive: true });
  const luaScript = path.join(REAL_HOST_DIR, 'seed-rule.lua');
  await fs.writeFile(luaScript, LUA_SEED_SOURCE);

  const seedState = path.join(stateDir, 'seed.state');
  const packState = path.join(stateDir, 'pack.state');
  const kqlState = path.join(stateDir, 'pack-kql.state');
  const floor = (await floorModule()).path;
  const seed = await filterModule('seed', sets.seed.program);
  const seedWithState = await filterModule('seed-state', compileSet('seed', sets.seed.rules, { stateFile: seedState }).program);
  const pack = sets.pack ? await filterModule('pack', sets.pack.program) : undefined;
  const packWithState = sets.pack ? await filterModule('pack-state', compileSet('pack', sets.pack.rules, { stateFile: packState }).program) : undefined;
  const kql = sets.pack ? packKqlSet(sets.pack) : undefined;
  const kqlModule = kql ? await filterModule('pack-kql', kql.program) : undefined;
  const kqlWithState = kql ? await filterModule('pack-kql-state', compileSet(kql.name, kql.rules, { stateFile: kqlState }).program) : undefined;
  if (!sets.pack) notes.push('pack rows skipped: the Kubernetes pack is not there');

  const wamrc = findOnPath('wamrc');
  if (!wamrc) notes.push('AOT rows skipped: wamrc not on PATH');
  const wasm = (name: string, p: string, stateFiles?: string[]): Variant => ({ name, filter: { kind: 'wasm', path: p }, stateFiles });
  const variants: Variant[] = [
    { name: 'no filter', filter: { kind: 'none' } },
    wasm('floor (returns its input)', floor),
    { name: 'Lua peer: seed rule + 7-day new terms (filter_lua, LuaJIT)', filter: { kind: 'lua', script: luaScript, call: LUA_SEED_FUNCTION } },
    wasm('seed rule', seed),
    wasm('seed rule, --state-file', seedWithState, [seedState]),
    ...(kql && kqlModule && kqlWithState ? [wasm(kql.name, kqlModule), wasm(`${kql.name}, --state-file`, kqlWithState, [kqlState])] : []),
    ...(pack && packWithState ? [wasm(sets.pack!.name, pack), wasm(`${sets.pack!.name}, --state-file`, packWithState, [packState])] : []),
  ];
  if (wamrc) {
    const aot = async (name: string, p: string, stateFiles?: string[]) => wasm(`${name}, AOT`, await aotOf(p), stateFiles);
    log('real host: AOT compiling (wamrc)...');
    variants.push(await aot('floor', floor), await aot('seed rule', seed), await aot('seed rule, --state-file', seedWithState, [seedState]));
    if (kql && kqlModule && kqlWithState) variants.push(await aot(kql.name, kqlModule), await aot(`${kql.name}, --state-file`, kqlWithState, [kqlState]));
    if (pack && packWithState) variants.push(await aot(sets.pack!.name, pack), await aot(`${sets.pack!.name}, --state-file`, packWithState, [packState]));
  }
  const base = ['no filter', 'floor (returns its input)'];
  const chosen = variants.filter((v) => base.includes(v.name) || !config.only?.length || config.only.some((o) => v.name.includes(o)));

  let peer: PeerCheck | undefined;
  if (config.checkPeer) {
    log('real host: checking the Lua peer against the seed module...');
    peer = await checkLuaPeer(events, { kind: 'lua', script: luaScript, call: LUA_SEED_FUNCTION }, { kind: 'wasm', path: seed }, REAL_HOST_DIR, config.events);
    if (!peer.agree) notes.push(`the Lua peer does NOT agree with the seed module: ${peer.detail}`);
  }

  const costs = new Map<string, RunCost[]>(chosen.map((v) => [v.name, []]));
  const timeoutMs = Math.max(120_000, config.events * 2);
  for (let round = 0; round < config.rounds; round++) {
    const order = chosen.map((_, i) => chosen[(i + round) % chosen.length]!);
    for (const v of order) {
      for (const f of v.stateFiles ?? []) await fs.rm(f, { force: true });
      const cost = await runPipeline({ dir: REAL_HOST_DIR, events, filter: v.filter, timeoutMs });
      costs.get(v.name)!.push(cost);
      log(`real host: round ${round + 1}/${config.rounds} ${v.name}: ${cost.cpuSeconds.toFixed(2)} s CPU, ${(cost.maxRssBytes / 1048576).toFixed(0)} MiB`);
    }
  }

  const none = costs.get('no filter')!;
  const fl = costs.get('floor (returns its input)')!;
  const rows: RealHostRow[] = chosen.map((v) => {
    const c = costs.get(v.name)!;
    const row: RealHostRow = { name: v.name, cpuSeconds: median(c.map((x) => x.cpuSeconds)), maxRssBytes: median(c.map((x) => x.maxRssBytes)) };
    if (v.name !== 'no filter') {
      const above = c.map((x, i) => x.cpuSeconds - none[i]!.cpuSeconds);
      const ratios = above.map((a, i) => a / (fl[i]!.cpuSeconds - none[i]!.cpuSeconds));
      row.aboveNoneUs = (median(above) / config.events) * 1e6;
      row.ratio = median(ratios);
      row.ratioMin = Math.min(...ratios);
      row.ratioMax = Math.max(...ratios);
    }
    return row;
  });
  let memory: MemoryGrowth | undefined;
  if (config.memory && pack && sets.pack) {
    log('real host: resident size from 10^5 to 10^6 records through the pack (in_tail, Mem_Buf_Limit 4M)...');
    try {
      memory = await memoryGrowth(pack, REAL_HOST_DIR, sets.pack.ir.options.newTermsBudgetBytes);
    } catch (err) {
      notes.push(`memory figure failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { events: config.events, meanBytes, rounds: config.rounds, command, rows, peer, memory, notes };
}

const f2 = (x: number | undefined) => (x === undefined ? '' : x.toFixed(2));

export function realHostMarkdown(r: RealHostResults): string[] {
  const L: string[] = [];
  L.push(`## Real host: Fluent Bit ${'5.1.1'} (in_tail json -> filter -> out_null), ${r.events} events`, '');
  if (r.skipped) return [...L, r.skipped, ''];
  L.push(`Command: \`${r.command}\`. ${r.rounds} rotated rounds; CPU (user+sys) of the whole Fluent Bit process; "x floor" = CPU above the no-filter run / the floor's, paired per round: median [min-max].`, '');
  L.push('| filter | CPU s (median) | µs/record above no filter | x floor [range] | peak RSS MiB |', '|---|---|---|---|---|');
  for (const row of r.rows) {
    const ratio = row.ratio === undefined ? '' : `**${f2(row.ratio)}** [${f2(row.ratioMin)}-${f2(row.ratioMax)}]`;
    L.push(`| ${row.name} | ${row.cpuSeconds.toFixed(2)} | ${row.aboveNoneUs === undefined ? '' : row.aboveNoneUs.toFixed(1)} | ${ratio} | ${(row.maxRssBytes / 1048576).toFixed(0)} |`);
  }
  L.push('');
  if (r.peer) L.push(`Lua peer vs seed module on the same events: ${r.peer.agree ? 'same verdicts' : '**different verdicts**'} (${r.peer.detail}).`, '');
  if (r.memory) {
    const m = r.memory;
    const mib = (x: number) => (x / 1048576).toFixed(1);
    L.push(`Peak resident size of Fluent Bit through the pack (interpreter, in_tail with Mem_Buf_Limit 4M): ${mib(m.peakRssFirstBytes)} MiB over ${m.firstRecords.toLocaleString('en-US')} records, ${mib(m.peakRssLastBytes)} MiB over ${m.lastRecords.toLocaleString('en-US')}: growth ${mib(m.growthBytes)} MiB; configured new-terms budget ${mib(m.stateBudgetBytes)} MiB; target (growth <= budget + 16 MiB) ${m.withinTarget ? 'met' : '**not met**'} (${m.seconds.toFixed(0)} s).`, '');
  }
  for (const n of r.notes) L.push(`- Note: ${n}`);
  if (r.notes.length) L.push('');
  return L;
}
