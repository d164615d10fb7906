// The real-host benchmark's parts on a small input: the Lua peer tags exactly what the seed module
// tags in the real Fluent Bit, a pipeline run reports CPU and memory, and without fluent-bit on PATH
// the benchmark says it is skipped. (No assertion on times: the machine's speed is not under test.)
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateEvents } from '../../src/bench/generator.js';
import { loadBenchRules } from '../../src/bench/rules.js';
import { cachedModule } from '../../src/bench/modules.js';
import { findOnPath } from '../../src/build/aot.js';
import { runPipeline } from '../../src/bench/real-host/fluent-bit.js';
import { checkLuaPeer } from '../../src/bench/real-host/peer-check.js';
import { LUA_SEED_FUNCTION, LUA_SEED_SOURCE } from '../../src/bench/real-host/lua-seed.js';
import { runRealHost, realHostMarkdown } from '../../src/bench/real-host/run.js';

const hasFluentBit = findOnPath('fluent-bit') !== undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'kqe-rh-'));

describe('real-host benchmark without fluent-bit', () => {
  it('says it is skipped', async () => {
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      const r = await runRealHost(await loadBenchRules(), { events: 10, rounds: 1, checkPeer: true }, () => {}, 'test');
      expect(r.skipped).toBe('skipped (fluent-bit not on PATH)');
      expect(realHostMarkdown(r).join('\n')).toMatch(/skipped \(fluent-bit not on PATH\)/);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe.skipIf(!hasFluentBit)('real-host benchmark in Fluent Bit (skipped when fluent-bit is not on PATH)', () => {
  it('the Lua peer and the seed module tag the same records; a run reports CPU and peak RSS', async () => {
    // Enough denied service-account requests to hold first sightings and repeats.
    const events = path.join(dir, 'events.ndjson');
    writeFileSync(events, generateEvents({ seed: 4242, count: 4000 }).join('\n') + '\n');
    const lua = path.join(dir, 'seed.lua');
    writeFileSync(lua, LUA_SEED_SOURCE);
    const sets = await loadBenchRules();
    const seed = await cachedModule('rh-seed', { entry: 'filter', program: sets.seed.program });
    const check = await checkLuaPeer(events, { kind: 'lua', script: lua, call: LUA_SEED_FUNCTION }, { kind: 'wasm', path: seed.path }, dir, 4000);
    expect(check.detail).toMatch(/4000 and 4000 of 4000 records out/);
    expect(check.agree).toBe(true);
    expect(check.detail).not.toMatch(/ 0 tagged by Lua/);
    const cost = await runPipeline({ dir, events, filter: { kind: 'none' }, timeoutMs: 60_000 });
    expect(cost.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(cost.maxRssBytes).toBeGreaterThan(1 << 20);
  }, 180_000);
});
