// Counters as one line of JSON, for hosts (CLI summary, server metrics) and the periodic stderr report.
import { ByteWriter } from '../util/buffer';
import * as stats from '../eval/stats';
import { ruleCount, rules, frags, dataPtr } from '../program/program';
import { RULE_SIZE, FRAG_SIZE, Frag } from '../program/format';
import { tableOf } from '../eval/record';
import { sequenceTableOf } from '../eval/sequence';
import { windowTableOf } from '../eval/esql-stats';
import { abortCount } from './abort';
import { journalFailures } from '../state/journal';
import { numbersRewritten } from './host-numbers';

const w = new ByteWriter();

export function statsJson(): usize {
  w.reset();
  w.ascii('{"records":');
  w.uint(stats.records);
  w.ascii(',"passed":');
  w.uint(stats.passed);
  w.ascii(',"tagged":');
  w.uint(stats.tagged);
  w.ascii(',"dropped":');
  w.uint(stats.dropped);
  w.ascii(',"invalid":');
  w.uint(stats.invalid);
  w.ascii(',"too_deep":');
  w.uint(stats.tooDeep);
  w.ascii(',"errors":');
  w.uint(stats.errors + <u64>abortCount);
  w.ascii(',"snapshot_failures":');
  w.uint(stats.snapshotFailures);
  w.ascii(',"journal_failures":');
  w.uint(journalFailures);
  w.ascii(',"numbers_rewritten":');
  w.uint(numbersRewritten);
  w.ascii(',"rules":[');
  for (let r: u32 = 0; r < ruleCount; r++) {
    if (r > 0) w.byte(0x2c);
    const rule = rules + <usize>r * RULE_SIZE;
    const f = frags + <usize>(load<u32>(rule, 52) + Frag.Id) * FRAG_SIZE;
    w.ascii('{"id":');
    w.bytes(dataPtr + <usize>load<u32>(f), <usize>load<u32>(f, 4));
    w.ascii(',"matches":');
    w.uint(stats.ruleMatches(r));
    w.ascii(',"alerts":');
    w.uint(stats.ruleAlerts(r));
    const t = tableOf(r);
    if (t !== null) {
      w.ascii(',"terms":');
      w.uint(<u64>t.size);
      w.ascii(',"capacity":');
      w.uint(<u64>t.capacity);
      w.ascii(',"evictions_in_window":');
      w.uint(<u64>t.evictionsInWindow);
      w.ascii(',"expirations":');
      w.uint(<u64>t.expirations);
    }
    const q = sequenceTableOf(r);
    if (q !== null) {
      w.ascii(',"sequences":');
      w.uint(<u64>q.size);
      w.ascii(',"sequence_capacity":');
      w.uint(<u64>q.capacity);
      w.ascii(',"sequence_evictions_in_window":');
      w.uint(q.evictionsInWindow);
      w.ascii(',"sequence_expirations":');
      w.uint(q.expirations);
      w.ascii(',"sequence_completions":');
      w.uint(q.completions);
    }
    const win = windowTableOf(r);
    if (win !== null) {
      w.ascii(',"window_groups":');
      w.uint(<u64>win.size);
      w.ascii(',"window_bytes":');
      w.uint(<u64>win.bytes);
      w.ascii(',"window_capacity_bytes":');
      w.uint(<u64>win.capacityBytes);
      w.ascii(',"window_pooled_bytes":');
      w.uint(<u64>win.pooledBytes);
      w.ascii(',"window_evictions_in_window":');
      w.uint(win.evictionsInWindow);
      w.ascii(',"window_expirations":');
      w.uint(win.expirations);
      w.ascii(',"window_event_evictions":');
      w.uint(win.entryEvictions);
    }
    w.byte(0x7d);
  }
  w.ascii(']}');
  w.byte(0);
  return w.failed ? 0 : w.region.ptr;
}

export function kqe_stats_json(): i32 {
  return <i32>statsJson();
}
