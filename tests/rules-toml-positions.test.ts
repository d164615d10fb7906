import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { scanTomlPositions } from '../src/rules/toml-positions.js';

// Text made of the characters that could confuse a line scanner.
const tricky = fc
  .array(fc.constantFrom('a', ' ', '\n', "'", '"', '[', ']', '#', '=', '{', '}', ',', '\\', 'query = '), { maxLength: 40 })
  .map((parts) => parts.join(''));

const basicMultiline = (s: string): string => `"""\n${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"""`;
const basicOneLine = (s: string): string => JSON.stringify(s);
// A literal string cannot hold its own delimiter; drop quotes to stay valid.
const literalMultiline = (s: string): string => `'''\n${s.replace(/'/g, '')}'''`;

describe('scanTomlPositions', () => {
  it('records tables and keys with their lines', () => {
    const text = '# c\n[metadata]\nupdated_date = "x"\n\n[rule]\nname = "n"\n\n[[rule.threat]]\nframework = "f"\n[[rule.threat]]\nframework = "g"\n';
    const p = scanTomlPositions(text);
    expect(p.get('metadata')?.line).toBe(2);
    expect(p.get('metadata.updated_date')?.line).toBe(3);
    expect(p.get('rule')?.line).toBe(5);
    expect(p.get('rule.name')?.line).toBe(6);
    expect(p.get('rule.threat')?.line).toBe(8); // first occurrence
    expect(p.get('rule.threat.framework')?.line).toBe(9);
  });

  it('finds the query after values holding quotes, brackets and comments', () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, fc.array(tricky, { maxLength: 4 }), tricky, fc.boolean(), (desc, note, one, tags, q, newlineAfterQuotes) => {
        const query = 'q' + q.replace(/'/g, '') + 'x:y';
        const text = [
          '[metadata]',
          `updated_date = ${basicOneLine(one)} # trailing "comment" '''`,
          '',
          '[rule]',
          `description = ${basicMultiline(desc)}`,
          `note = ${literalMultiline(note)}`,
          'tags = [',
          ...tags.map((t) => `  ${basicOneLine(t)}, # ${t.replace(/\n/g, ' ')}`),
          ']',
          `inline = { a = ${basicOneLine(one)}, b = [1, 2] }`,
          `query = '''${newlineAfterQuotes ? '\n' : ''}${query}'''`,
          'after = 1',
        ].join('\n');
        const doc = parse(text) as { rule: { query: string } };
        expect(doc.rule.query).toBe(query);
        const p = scanTomlPositions(text);
        const lines = text.split('\n');
        const at = p.get('rule.query')!;
        expect(lines[at.line - 1]!.startsWith("query = '''")).toBe(true);
        const firstQueryLine = query.split('\n')[0]!;
        const contentLine = lines[at.contentLine - 1]!;
        expect(newlineAfterQuotes ? contentLine.startsWith(firstQueryLine) : contentLine.startsWith(`query = '''${firstQueryLine}`)).toBe(true);
        expect(lines[p.get('rule.after')!.line - 1]).toBe('after = 1');
        expect(lines[p.get('rule')!.line - 1]).toBe('[rule]');
      }),
      { numRuns: 2000 },
    );
  });
});
