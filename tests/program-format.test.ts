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

describe('damaged programs', () => {
  it('an and/or whose children run past the children table is refused at load, not read past it', async () => {
    const { readFileSync: read } = await import('node:fs');
    const { compileProgram } = await import('../src/compiler/index.js');
    const { rulesFrom, DEFAULT_RULES } = await import('./helpers/evaluator.js');
    const { FluentBitHost } = await import('../src/host/fluent-bit-host.js');
    const bytes = Buffer.from(compileProgram(await rulesFrom([DEFAULT_RULES])).bytes);
    const sections = new Map<number, { at: number; length: number }>();
    for (let i = 0; i < bytes.readUInt32LE(12); i++) {
      const d = 16 + i * 12;
      sections.set(bytes.readUInt32LE(d), { at: bytes.readUInt32LE(d + 4), length: bytes.readUInt32LE(d + 8) });
    }
    const expr = sections.get(format.Section.Expr)!;
    const kids = sections.get(format.Section.ExprKids)!;
    let damaged = 0;
    for (let e = expr.at; e < expr.at + expr.length; e += 12) {
      const op = bytes[e]!;
      if (op !== format.ExprOp.And && op !== format.ExprOp.Or) continue;
      bytes.writeUInt32LE(kids.length / 4, e + 4); // first child just past the table
      damaged++;
    }
    expect(damaged).toBeGreaterThan(0);
    const host = await FluentBitHost.create(read(path.resolve(__dirname, '../build/evaluator.wasm')));
    expect(() => host.loadProgram(bytes)).toThrow(/refused the program \(error 27\)/);
  });

  // Pre-rendered pieces go into tagged records verbatim: a damaged one must be refused at load, or the
  // module would emit invalid JSON (and Fluent Bit lose the chunk).
  describe('pre-rendered JSON pieces', () => {
    async function program() {
      const { compileProgram } = await import('../src/compiler/index.js');
      const { rulesFrom, DEFAULT_RULES } = await import('./helpers/evaluator.js');
      const { FluentBitHost } = await import('../src/host/fluent-bit-host.js');
      const bytes = Buffer.from(compileProgram(await rulesFrom([DEFAULT_RULES])).bytes);
      const sections = new Map<number, number>();
      for (let i = 0; i < bytes.readUInt32LE(12); i++) sections.set(bytes.readUInt32LE(16 + i * 12), bytes.readUInt32LE(16 + i * 12 + 4));
      const data = sections.get(format.Section.Data)!;
      const fragAt = (kind: number) => sections.get(format.Section.Frags)! + (bytes.readUInt32LE(sections.get(format.Section.Rules)! + 52) + kind) * format.FRAG_SIZE;
      const piece = (entry: number) => ({ at: data + bytes.readUInt32LE(entry), length: bytes.readUInt32LE(entry + 4), entry });
      const host = await FluentBitHost.create(readFileSync(path.resolve(__dirname, '../build/evaluator.wasm')));
      return { bytes, fragAt, piece, host, threats: sections.get(format.Section.Threats)! };
    }

    it('the undamaged program loads', async () => {
      const { bytes, host } = await program();
      expect(() => host.loadProgram(bytes)).not.toThrow();
    });

    const damages: [string, (p: Awaited<ReturnType<typeof program>>) => void][] = [
      ['an unescaped quote inside the rule name', ({ bytes, fragAt, piece }) => {
        const name = piece(fragAt(format.Frag.Name));
        bytes[name.at + 2] = 0x22;
      }],
      ['an alert head that ends where no member can follow', ({ bytes, fragAt, piece }) => {
        const head = piece(fragAt(format.Frag.AlertHead));
        bytes[head.at + head.length - 1] = 0x2c;
      }],
      ['a control byte in a threat value', ({ bytes, piece, threats }) => {
        const t = piece(threats + 4);
        bytes[t.at + 1] = 0x01;
      }],
      ['an empty rule id', ({ bytes, fragAt }) => {
        bytes.writeUInt32LE(0, fragAt(format.Frag.Id) + 4);
      }],
      ['a rule name cut short', ({ bytes, fragAt, piece }) => {
        const name = piece(fragAt(format.Frag.Name));
        bytes.writeUInt32LE(name.length - 1, name.entry + 4);
      }],
    ];
    for (const [what, damage] of damages) {
      it(`refuses ${what} (error 44)`, async () => {
        const p = await program();
        damage(p);
        expect(() => p.host.loadProgram(p.bytes)).toThrow(/refused the program \(error 44\)/);
      });
    }
  });
});

