// The program layout is written twice (src/compiler/format.ts for the compiler, assembly/program/format.ts
// for the evaluator): every number must agree, or programs would be misread.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as format from '../src/compiler/format.js';

/** `export const NAME: u32 = VALUE;` at top level and inside `export namespace NS { ... }`. */
function assemblyConstants(): Map<string, number> {
  const text = readFileSync(path.resolve(__dirname, '../assembly/program/format.ts'), 'utf8');
  const out = new Map<string, number>();
  let ns = '';
  for (const line of text.split('\n')) {
    const open = /^export namespace (\w+) \{/.exec(line);
    if (open) ns = open[1] + '.';
    if (line.trim() === '}') ns = '';
    const c = /export const (\w+): u32 = ([^;]+);/.exec(line);
    if (c) out.set(ns + c[1], Number(eval(c[2].replace(/<\w+>/g, ''))));
  }
  return out;
}

describe('program format constants', () => {
  const asm = assemblyConstants();
  const ts = format as unknown as Record<string, unknown>;

  it('every evaluator constant has the compiler value', () => {
    let compared = 0;
    for (const [name, value] of asm) {
      const [a, b] = name.split('.');
      const tsValue = b ? (ts[a] as Record<string, number> | undefined)?.[b] : ts[a];
      if (name === 'TYPE_SIG_COUNT') {
        expect(value).toBe(format.TypeSig.Count);
        continue;
      }
      expect(tsValue, name).toBe(value);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('every compiler enum member exists in the evaluator', () => {
    for (const enumName of ['Section', 'SlotType', 'Plan', 'Transform', 'Op', 'ExprOp', 'Frag', 'ThreatField', 'OutputMode', 'Probe', 'NumericKind', 'ViewRule']) {
      const members = Object.entries(ts[enumName] as Record<string, unknown>).filter(([, v]) => typeof v === 'number');
      for (const [member, value] of members) expect(asm.get(`${enumName}.${member}`), `${enumName}.${member}`).toBe(value);
    }
  });
});
