// Keeps the Lua peer honest: it must tag exactly the records the seed module tags, in the real host,
// on the benchmark's own events (every record must come out of both).
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runPipeline, type FilterSpec } from './fluent-bit.js';

export interface PeerCheck {
  agree: boolean;
  detail: string;
}

async function alertIds(file: string): Promise<{ records: number; alerts: Set<string> }> {
  const alerts = new Set<string>();
  let records = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    records++;
    const rec = JSON.parse(line) as { auditID?: string; event?: { kind?: string } };
    if (rec.event && typeof rec.event === 'object' && rec.event.kind === 'alert') alerts.add(String(rec.auditID));
  }
  return { records, alerts };
}

async function tagged(events: string, filter: FilterSpec, dir: string, name: string, expected: number): Promise<{ records: number; alerts: Set<string> }> {
  const out = path.join(dir, `peer-${name}.out`);
  await fs.rm(out, { force: true });
  await runPipeline({ dir, events, filter, outFile: out, timeoutMs: Math.max(120_000, expected * 2) });
  const result = await alertIds(out);
  await fs.rm(out, { force: true });
  return result;
}

export async function checkLuaPeer(events: string, lua: FilterSpec, module: FilterSpec, dir: string, expected: number): Promise<PeerCheck> {
  const a = await tagged(events, lua, dir, 'lua', expected);
  const b = await tagged(events, module, dir, 'module', expected);
  const onlyLua = [...a.alerts].filter((id) => !b.alerts.has(id));
  const onlyModule = [...b.alerts].filter((id) => !a.alerts.has(id));
  const agree = a.records === expected && b.records === expected && onlyLua.length === 0 && onlyModule.length === 0;
  return {
    agree,
    detail: `${a.records} and ${b.records} of ${expected} records out; ${a.alerts.size} tagged by Lua, ${b.alerts.size} by the module` +
      (onlyLua.length + onlyModule.length ? `; only Lua: ${onlyLua.slice(0, 3).join(', ')}; only module: ${onlyModule.slice(0, 3).join(', ')}` : ''),
  };
}
