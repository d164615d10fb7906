// How the seed rule's cost and memory grow with the number of distinct terms it stores: synthetic
// records that all match the query, each with a new user agent (so each stores one term), fed
// through the Fluent Bit calling sequence; at every power of ten, the cost of new terms, of terms
// seen before, and of records the rule rejects early.
import { FluentBitHost, copyIntoModule } from '../host/fluent-bit-host.js';
import { nowNs } from './measure.js';
import type { Rule } from '../rules/types.js';
import { compileSet } from './rules.js';
import { HOST_TIME_MS } from './v8-variants.js';

const DIGITS = 10;
const TEMPLATE =
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"5f1c2a77-0b8e-4c1e-9d2a-7a0c1f3e9b10",' +
  '"stage":"ResponseComplete","requestURI":"/api/v1/namespaces/kube-system/secrets?limit=500","verb":"list",' +
  '"user":{"username":"system:serviceaccount:default:scanner","uid":"0b6f2a1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c",' +
  '"groups":["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"]},"sourceIPs":["10.0.100.7"],' +
  `"userAgent":"scanner/${'0'.repeat(DIGITS)} (linux/amd64)","objectRef":{"resource":"secrets","namespace":"kube-system","apiVersion":"v1"},` +
  '"responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden","code":403},' +
  '"requestReceivedTimestamp":"2024-05-13T00:00:00.000000Z","stageTimestamp":"2024-05-13T00:00:00.001000Z",' +
  '"annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}';
const TEMPLATE_BYTES = Buffer.from(TEMPLATE);
const DIGITS_AT = TEMPLATE.indexOf('scanner/') + 'scanner/'.length;

/** A matching record whose user agent carries `n`. */
export function termRecord(n: number, into: Buffer = Buffer.from(TEMPLATE_BYTES)): Buffer {
  let v = n;
  for (let i = DIGITS - 1; i >= 0; i--) {
    into[DIGITS_AT + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return into;
}

/** The Fluent Bit calling sequence without copying the result out (the result is not needed here). */
function makeCaller(host: FluentBitHost): (record: Uint8Array) => number {
  const ex = host.exports;
  const tag = Buffer.from('kube.audit');
  const sec = Math.floor(HOST_TIME_MS / 1000);
  const copyIn = (bytes: Uint8Array): number => copyIntoModule(ex, bytes);
  return (record) => {
    const tagPtr = copyIn(tag);
    const recPtr = copyIn(record);
    const out = ex.filter(tagPtr, tag.length, sec, 0, recPtr, record.length) >>> 0;
    ex.__unpin(recPtr);
    ex.__unpin(tagPtr);
    return out === recPtr ? 0 : 1;
  };
}

export interface TermsCheckpoint {
  terms: number;
  storedTerms: number;
  evictions: number;
  /** Records with a new term (stored, alert written), ns each, over the last decade. */
  newTermNs: number;
  /** Records with a term already stored (lookup, no alert), ns each. */
  knownTermNs: number;
  /** Ordinary records the rule rejects early, ns each. */
  otherRecordNs: number;
  memoryBytes: number;
  alertsInDecade: number;
}

export interface TermsScaling {
  budgetBytes: number;
  capacity: number;
  /** Linear memory the table adds per term of capacity (bytes): (memory with this budget - memory with a minimal one) / capacity difference. */
  bytesPerTerm: number;
  checkpoints: TermsCheckpoint[];
  /** Set when the module failed (e.g. trapped) before the last power of ten. */
  failure?: string;
}

/** Feeds 10^3 .. 10^maxPower distinct terms to the seed rule. */
export async function termsScaling(module: WebAssembly.Module, seedRules: Rule[], maxPower: number, otherRecords: readonly Buffer[]): Promise<TermsScaling> {
  const maxTerms = 10 ** maxPower;
  const budgetBytes = Math.max(16 << 20, Math.ceil(maxTerms * 30 * 1.05));
  const program = compileSet('seed (large budget)', seedRules, { newTermsBudgetBytes: budgetBytes }).program;
  const small = compileSet('seed (small budget)', seedRules, { newTermsBudgetBytes: 64 * 1024 }).program;
  const smallHost = await FluentBitHost.create(module, small);
  const host = await FluentBitHost.create(module, program);
  const capacity = host.stats()?.rules[0]?.capacity ?? 0;
  const smallCapacity = smallHost.stats()?.rules[0]?.capacity ?? 0;
  const bytesPerTerm = (host.memoryBytes - smallHost.memoryBytes) / Math.max(1, capacity - smallCapacity);
  const call = makeCaller(host);
  const buffer = Buffer.from(TEMPLATE_BYTES);
  // Warm the compiled code (shared by every instance of the module) on the other instance, so the
  // first decade is not timed while V8 is still tiering up.
  const warm = makeCaller(smallHost);
  for (let i = 0; i < 5000; i++) warm(termRecord(10 ** 9 + i, buffer));
  for (const r of otherRecords) warm(r);
  const checkpoints: TermsCheckpoint[] = [];
  let fed = 0;
  let failure: string | undefined;
  for (let power = 3; power <= maxPower && !failure; power++) {
    const target = 10 ** power;
    const alertsBefore = host.stats()?.rules[0]?.alerts ?? 0;
    const count = target - fed;
    try {
      const t0 = nowNs();
      for (; fed < target; fed++) call(termRecord(fed, buffer));
      const newTermNs = (nowNs() - t0) / count;
      const lookups = Math.min(20_000, target);
      const t1 = nowNs();
      // Known terms in a scattered order (multiplicative hashing of the index), as real repeats come.
      for (let i = 0; i < lookups; i++) call(termRecord((i * 2654435761) % target, buffer));
      const knownTermNs = (nowNs() - t1) / lookups;
      const t2 = nowNs();
      for (const r of otherRecords) call(r);
      const otherRecordNs = (nowNs() - t2) / Math.max(1, otherRecords.length);
      const s = host.stats()?.rules[0];
      checkpoints.push({
        terms: target, storedTerms: s?.terms ?? 0, evictions: s?.evictions_in_window ?? 0,
        newTermNs, knownTermNs, otherRecordNs, memoryBytes: host.memoryBytes, alertsInDecade: (s?.alerts ?? 0) - alertsBefore,
      });
    } catch (err) {
      failure = `the module failed after ${fed} distinct terms (linear memory ${(host.memoryBytes / 1048576).toFixed(0)} MiB): ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return { budgetBytes, capacity, bytesPerTerm, checkpoints, failure };
}
