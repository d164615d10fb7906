import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetToLineColumn, scanJson } from '../src/rules/json-positions.js';

describe('scanJson', () => {
  it('finds the top-level object and its keys', () => {
    const text = '{\n  "rule_id": "a",\n  "name": {"rule_id": 1}\n}';
    const scan = scanJson(text);
    expect(scan.error).toBeUndefined();
    expect(scan.objects).toHaveLength(1);
    expect(offsetToLineColumn(text, scan.objects[0]!.keys.get('rule_id')!)).toEqual({ line: 2, column: 3 });
    expect(offsetToLineColumn(text, scan.objects[0]!.keys.get('name')!)).toEqual({ line: 3, column: 3 });
  });

  it('finds each element of a top-level array', () => {
    const text = '[\n {"a": 1},\n 2,\n {"b": [ {"c": 3} ]}\n]';
    const scan = scanJson(text);
    expect(scan.objects.map((o) => offsetToLineColumn(text, o.start).line)).toEqual([2, 3, 4]);
    expect([...scan.objects[2]!.keys.keys()]).toEqual(['b']);
  });

  it('accepts exactly what JSON.parse accepts, and fails where JSON.parse says it fails', () => {
    // Valid JSON with one character dropped, doubled or replaced.
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('drop', 'double', ',', '}', ']', '"', ':', 'x', '\n', '\\', '\t', '-', 'e', '0'))
      .map(([json, i, op]) => {
        const at = json.length === 0 ? 0 : i % json.length;
        if (op === 'drop') return json.slice(0, at) + json.slice(at + 1);
        if (op === 'double') return json.slice(0, at + 1) + json.slice(at);
        return json.slice(0, at) + op + json.slice(at + 1);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let parseError: Error | undefined;
        try {
          JSON.parse(text);
        } catch (e) {
          parseError = e as Error;
        }
        const scan = scanJson(text);
        expect(scan.error === undefined).toBe(parseError === undefined);
        const m = parseError && /at position (\d+)/.exec(parseError.message);
        if (m) expect(scan.error!.offset).toBe(Number(m[1]));
      }),
      { numRuns: 3000 },
    );
  });
});
