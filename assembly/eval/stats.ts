// Counters an operator reads: records, pass-throughs, invalid records, matches and alerts per rule.
import { Region } from '../util/buffer';

export let records: u64 = 0;
export let passed: u64 = 0;
export let tagged: u64 = 0;
export let dropped: u64 = 0; // alerts-only mode: records not forwarded
export let invalid: u64 = 0; // not one JSON object (passed through unchanged)
export let tooDeep: u64 = 0; // among invalid: nested deeper than the scan's limit along a path some rule reads
export let errors: u64 = 0; // internal problems (passed through unchanged)
export let snapshotFailures: u64 = 0;
const perRule = new Region(); // per rule: u64 query matches, u64 alerts
let rulesCounted: u32 = 0;

export function setup(ruleCount: u32): void {
  rulesCounted = ruleCount;
  if (perRule.ensure(<usize>ruleCount * 16 + 16)) memory.fill(perRule.ptr, 0, <usize>ruleCount * 16);
}

export function queryMatched(r: u32): void {
  if (r < rulesCounted) store<u64>(perRule.ptr + <usize>r * 16, load<u64>(perRule.ptr + <usize>r * 16) + 1);
}

export function alerted(r: u32): void {
  if (r < rulesCounted) store<u64>(perRule.ptr + <usize>r * 16 + 8, load<u64>(perRule.ptr + <usize>r * 16 + 8) + 1);
}

export function ruleMatches(r: u32): u64 {
  return r < rulesCounted ? load<u64>(perRule.ptr + <usize>r * 16) : 0;
}

export function ruleAlerts(r: u32): u64 {
  return r < rulesCounted ? load<u64>(perRule.ptr + <usize>r * 16 + 8) : 0;
}

export function countRecord(): void { records++; }
export function countPassed(): void { passed++; }
export function countTagged(): void { tagged++; }
export function countDropped(): void { dropped++; }
export function countInvalid(): void { invalid++; }
export function countTooDeep(): void { tooDeep++; }
export function countError(): void { errors++; }
export function countSnapshotFailure(): void { snapshotFailures++; }
