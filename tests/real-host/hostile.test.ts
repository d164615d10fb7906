// Hostile records through a real Fluent Bit: in_tail with the json parser (a 10 MB record, non-ASCII and
// invalid UTF-8, control characters, big and odd numbers, duplicate and dotted keys, {}, wrong types
// where the rules read fields, audit events inside `log`/`message` strings) and in_tail without a parser
// (events nested 1,000 and 100,000 deep, carried in the `log` string). Every record comes out, nothing is
// logged as an error, every output line is JSON, and untagged records are exactly what Fluent Bit alone
// makes of the same input (a run without the filter).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACK, hasShared, rawEvent } from '../helpers/evaluator.js';
import {
  buildModule, configAroundPrinted, errorLines, fluentBitSkip, hasFluentBit, readRecords, runFluentBit, workDir, type TailInput, removeWorkDirs,
} from './runner.js';

afterAll(removeWorkDirs);

const KQL_EDGE_MEMBERS = new Set(['event', 'rule', 'threat', 'kql_edge']);

/** An audit event that the seed rule tags (denied service account, a user agent of its own). */
function matching(agent: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return rawEvent({ auditID: `m-${agent}`, userAgent: agent, ...over });
}

function nested(depth: number, leaf: string): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

/** Lines for the tail input with the json parser. Buffers, because some hold invalid UTF-8. */
function parsedLines(): { lines: Buffer[]; mustTag: string[] } {
  const text: string[] = [
    JSON.stringify(matching('ten-megabytes', { requestObject: { data: 'x'.repeat(10 * 1024 * 1024) } })),
    JSON.stringify(matching('unicode-é-😀', { note: 'héllo ☃ \u2028 \u2029' })),
    JSON.stringify(rawEvent({ auditID: 'ctl', userAgent: 'ctl\u0000\u0001\u001f\b\f\n\r\t"\\/', annotations: { 'authorization.k8s.io/decision': 'allow' } })),
    '{"n1":1e308,"n2":-0,"n3":0.1,"n4":123456789012345678901234567890,"n5":5e-324,"n6":9007199254740993,"n7":-1.5E-10,"n8":1.0,"n9":0}',
    JSON.stringify(matching('odd-numbers', { responseStatus: { code: 403.0 }, level: 1e300 })).replace('403', '4.03e2'),
    '{"kind":"Event","kind":"Event","verb":"list","verb":"get","auditID":"dup"}',
    '{"user.name":"system:serviceaccount:a:b","kubernetes.audit.userAgent":"dotted","event.outcome":"failure","auditID":"dotted"}',
    '{}',
    JSON.stringify({
      kind: 'Event', auditID: 'wrong-types', verb: 123, user: 'a string', userAgent: { nested: true },
      annotations: ['authorization.k8s.io/decision', 'forbid'], sourceIPs: '10.0.0.1', objectRef: 5,
      responseStatus: { code: 'forbidden' }, stageTimestamp: true, requestReceivedTimestamp: null,
    }),
    JSON.stringify({ log: JSON.stringify(matching('inside-log')), stream: 'stdout' }),
    JSON.stringify({ message: JSON.stringify(matching('inside-message')), host: 'n1' }),
    JSON.stringify({ log: '{"kind":"Event","verb":' }), // an event cut short inside log
  ];
  const lines = text.map((t) => Buffer.from(t));
  // Invalid UTF-8 (lone continuation byte, truncated sequence, 0xff) inside strings.
  lines.push(Buffer.concat([Buffer.from('{"auditID":"bad-utf8","userAgent":"a'), Buffer.from([0x80, 0xc3, 0xff]), Buffer.from('b","verb":"list"}')]));
  // A matching event whose user agent holds invalid UTF-8.
  const [head, tail] = JSON.stringify(matching('bad-utf8-match-INVALID')).split('INVALID');
  lines.push(Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from(tail)]));
  lines.push(Buffer.concat([Buffer.from('{"auditID":"bad-utf8-2","note":"'), Buffer.from([0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]), Buffer.from('"}')]));
  return { lines, mustTag: ['m-ten-megabytes', 'm-unicode-é-😀', 'm-odd-numbers'] };
}

/** Lines for the tail input without a parser: each reaches the filter as {"log": "<line>"}. */
function rawLines(): string[] {
  return [
    JSON.stringify(matching('deep-1000', { requestObject: 'PLACEHOLDER' })).replace('"PLACEHOLDER"', nested(1000, '1')),
    JSON.stringify(matching('deep-100000', { requestObject: 'PLACEHOLDER' })).replace('"PLACEHOLDER"', nested(100_000, '1')),
    '['.repeat(100_000) + ']'.repeat(100_000),
    '['.repeat(100_000),
    JSON.stringify(matching('raw-shallow')),
    'plain text, not JSON',
  ];
}

describe.skipIf(!hasFluentBit)(`real Fluent Bit: hostile records${fluentBitSkip}`, () => {
  const dir = workDir('hostile');
  const parsedFile = path.join(dir, 'parsed.ndjson');
  const rawFile = path.join(dir, 'raw.log');
  let parsedCount = 0;
  let rawCount = 0;
  let mustTag: string[] = [];
  const inputs: TailInput[] = [
    { path: parsedFile, parser: 'json', tag: 'kube.audit', bufferMax: '16M' },
    { path: rawFile, tag: 'kube.audit.raw', bufferMax: '16M' },
  ];
  const outputsFor = (name: string) => ({ 'kube.audit': path.join(dir, `${name}-parsed.ndjson`), 'kube.audit.raw': path.join(dir, `${name}-raw.ndjson`) });
  let baseline: { parsed: Record<string, unknown>[]; raw: Record<string, unknown>[] };

  beforeAll(async () => {
    const parsed = parsedLines();
    mustTag = parsed.mustTag;
    parsedCount = parsed.lines.length;
    writeFileSync(parsedFile, Buffer.concat(parsed.lines.flatMap((l) => [l, Buffer.from('\n')])));
    const raw = rawLines();
    rawCount = raw.length;
    writeFileSync(rawFile, raw.join('\n') + '\n');
    // What Fluent Bit alone makes of these lines.
    const outputs = outputsFor('baseline');
    const config = await configAroundPrinted({ dir, wasm: '', format: 'classic', input: inputs, outputs, withFilters: false });
    const run = await runFluentBit({ dir, config, name: 'baseline', expect: { [outputs['kube.audit']]: parsedCount, [outputs['kube.audit.raw']]: rawCount }, timeoutMs: 60_000 });
    baseline = { parsed: readRecords(outputs['kube.audit']), raw: readRecords(outputs['kube.audit.raw']) };
    if (baseline.parsed.length !== parsedCount || baseline.raw.length !== rawCount) {
      throw new Error(`Fluent Bit alone lost records (${baseline.parsed.length}/${parsedCount}, ${baseline.raw.length}/${rawCount}):\n${run.stderr}`);
    }
  }, 120_000);

  const rules: { name: string; args: string[]; needsShared: boolean }[] = [
    { name: 'seed rule', args: [], needsShared: false },
    { name: 'Kubernetes pack', args: ['--rules', PACK], needsShared: true },
  ];
  for (const rule of rules) {
    const skip = rule.needsShared && !hasShared;
    it.skipIf(skip)(`${rule.name}${skip ? ' (skipped: ../shared/rules not found)' : ''}: every record out, valid JSON, no error, untagged records unchanged`, async () => {
      const name = rule.needsShared ? 'pack' : 'seed';
      const wasm = await buildModule(dir, name, rule.args);
      const outputs = outputsFor(name);
      const config = await configAroundPrinted({ dir, wasm, format: 'classic', input: inputs, outputs });
      const run = await runFluentBit({ dir, config, name, expect: { [outputs['kube.audit']]: parsedCount, [outputs['kube.audit.raw']]: rawCount }, timeoutMs: 90_000 });
      expect(run.exitedEarly, `Fluent Bit stopped by itself (${run.code}/${run.signal}):\n${run.stderr.slice(-3000)}`).toBe(false);
      expect(errorLines(run.stdout + run.stderr)).toEqual([]);
      // readRecords throws on the first line that is not JSON.
      const parsed = readRecords(outputs['kube.audit']);
      const raw = readRecords(outputs['kube.audit.raw']);
      expect(parsed.length).toBe(parsedCount);
      expect(raw.length).toBe(rawCount);
      for (const [records, before] of [[parsed, baseline.parsed], [raw, baseline.raw]] as const) {
        records.forEach((record, i) => {
          if (record.kql_edge === undefined) {
            expect(record, `record ${i}`).toEqual(before[i]);
          } else {
            // A tagged record keeps every member it had (the module only adds its own).
            for (const [key, value] of Object.entries(before[i])) {
              if (!KQL_EDGE_MEMBERS.has(key)) expect(record[key], `record ${i} member ${key}`).toEqual(value);
            }
          }
        });
      }
      const taggedIds = parsed.filter((r) => r.kql_edge !== undefined).map((r) => r.auditID);
      for (const id of mustTag) expect(taggedIds, id).toContain(id);
      // Events carried in log/message strings are evaluated as the audit event they hold.
      const carried = parsed.filter((r) => typeof r.log === 'string' || typeof r.message === 'string');
      expect(carried.filter((r) => r.kql_edge !== undefined).length).toBe(2);
      expect(raw.find((r) => String(r.log).includes('raw-shallow'))?.kql_edge).toBeDefined();
    }, 180_000);
  }
});
