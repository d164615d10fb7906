// kql-edge fluent-bit-config --format: one format or both, and the alert route on event.kind (a string:
// rewrite_tag's regex never matches the kql_edge.alerts array). tests/real-host/ runs these sections.
import { describe, it, expect } from 'vitest';
import { Readable } from 'node:stream';
import { main } from '../src/cli/main.js';

async function print(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'kql-edge', 'fluent-bit-config', '--wasm', '/etc/fluent-bit/filter.wasm', ...args], {
    out: (c) => void (out += String(c)),
    err: (l) => void (err += l + '\n'),
    stdin: Readable.from([]),
  });
  return { code, out, err };
}

describe('kql-edge fluent-bit-config --format', () => {
  it('prints both formats by default, one with classic or yaml', async () => {
    const both = await print([]);
    expect(both.out).toContain('[FILTER]');
    expect(both.out).toContain('pipeline:');
    const classic = await print(['--format', 'classic']);
    expect(classic.code).toBe(0);
    expect(classic.out).toContain('[FILTER]');
    expect(classic.out).not.toContain('pipeline:');
    const yaml = await print(['--format', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.out).toContain('pipeline:');
    expect(yaml.out).not.toContain('[FILTER]');
  });

  it('routes alerts on event.kind, in both formats', async () => {
    const { out } = await print([]);
    expect(out).toMatch(/Rule\s+\$event\['kind'\] \^alert\$ kql_edge\.alerts true/);
    expect(out).toContain(`rule: "$event['kind'] ^alert$ kql_edge.alerts true"`);
    expect(out).not.toContain("$kql_edge['alerts']");
  });

  it('refuses an unknown format', async () => {
    const r = await print(['--format', 'toml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/classic, yaml, both|Allowed choices/);
  });
});
