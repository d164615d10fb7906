// Building a tagged record (spec: alert-fields.md). The original bytes come first and unchanged; the
// tag members are appended before the final '}'. Only when the record already has keys the tag owns
// (event, rule, threat, kql_edge, or their flattened forms) is the top level rebuilt member by member;
// then every value the tag replaces is kept, verbatim, under `kql_edge.replaced` (key: its path).
import { ByteWriter, Region } from '../util/buffer';
import { rules, frags, threats, threatCount, dataPtr, options } from '../program/program';
import { RULE_SIZE, FRAG_SIZE, THREAT_SIZE, Frag, ThreatField } from '../program/format';
import { matched, matchedCount, comboValue, comboCount, RULE_NEW_TERMS } from '../eval/record';
import { valuePtr, valueLen, valueKind, firstValue, nextValue, NONE, KIND_INVALID } from '../eval/values';
import { slotVoided } from '../eval/predicates';
import { shapeDoc, shapePlan } from '../eval/shape';
import { OPTION_KIBANA_FIELDS } from '../program/format';
import { topSpans, topSpanCount, eventSpans, eventSpanCount, eventObjectStart, eventObjectEnd, closingBrace, spanAt, ensureMemberSpans } from '../json/scanner';
import { bytesEqual } from '../json/strings';
import { writeSequence } from '../eval/sequence';
import { writeEsql } from '../eval/esql';
import { RULE_FLAG_SEQUENCE, RULE_FLAG_ESQL, RULE_FLAG_ESQL_STATS } from '../program/format';
import { writeStatsEsql } from '../eval/esql-stats';

export const out = new ByteWriter();

const OPT_DESCRIPTION: u32 = 4;

@inline function ruleAt(i: u32): usize {
  return rules + <usize>load<u32>(matched.ptr + <usize>i * 4) * RULE_SIZE;
}

/** Writes fragment `kind` of rule entry `rule`; returns false when the rule has none. */
function frag(rule: usize, kind: u32): bool {
  const f = frags + <usize>(load<u32>(rule, 52) + kind) * FRAG_SIZE;
  const n = <usize>load<u32>(f, 4);
  if (n == 0) return false;
  out.bytes(dataPtr + <usize>load<u32>(f), n);
  return true;
}

function fragLen(rule: usize, kind: u32): u32 {
  return load<u32>(frags + <usize>(load<u32>(rule, 52) + kind) * FRAG_SIZE, 4);
}

// Keys the tag owns, as bytes between the quotes.
const K_EVENT = memory.data<u8>([101, 118, 101, 110, 116]); // event
const K_RULE = memory.data<u8>([114, 117, 108, 101]); // rule
const K_THREAT = memory.data<u8>([116, 104, 114, 101, 97, 116]); // threat
const K_KQL = memory.data<u8>([107, 113, 108, 95, 101, 100, 103, 101]); // kql_edge
const K_KIND = memory.data<u8>([107, 105, 110, 100]); // kind
const K_SEVERITY = memory.data<u8>([115, 101, 118, 101, 114, 105, 116, 121]); // severity
const K_RISK = memory.data<u8>([114, 105, 115, 107, 95, 115, 99, 111, 114, 101]); // risk_score

const OWN_NONE: u32 = 0;
const OWN_DROP: u32 = 1; // rule, threat, kql_edge, rule.*, threat.*, kql_edge.*, a non-object event
const OWN_EVENT_OBJECT: u32 = 2;
const OWN_FLAT_KIND: u32 = 3;
const OWN_FLAT_SEVERITY: u32 = 4;
const OWN_FLAT_RISK: u32 = 5;

/** Is [k, k+n) equal to `word` or does it start with `word` + "."? 1 equal, 2 dotted prefix, 0 neither. */
function keyIs(k: usize, n: usize, word: usize, m: usize): u32 {
  if (n < m || !bytesEqual(k, word, m)) return 0;
  if (n == m) return 1;
  return load<u8>(k + m) == 0x2e ? 2 : 0;
}

function ownership(rec: usize, span: u32): u32 {
  const ks = spanAt(topSpans, span, 0);
  const ke = spanAt(topSpans, span, 1);
  const k = rec + <usize>ks + 1;
  const n = <usize>(ke - ks - 2);
  if (keyIs(k, n, K_RULE, 4) != 0 || keyIs(k, n, K_THREAT, 6) != 0 || keyIs(k, n, K_KQL, 8) != 0) return OWN_DROP;
  const e = keyIs(k, n, K_EVENT, 5);
  if (e == 1) return load<u8>(rec + <usize>spanAt(topSpans, span, 2)) == 0x7b ? OWN_EVENT_OBJECT : OWN_DROP;
  if (e == 2) {
    const rest = k + 6;
    const rn = n - 6;
    if (rn == 4 && bytesEqual(rest, K_KIND, 4)) return OWN_FLAT_KIND;
    if (rn == 8 && bytesEqual(rest, K_SEVERITY, 8)) return OWN_FLAT_SEVERITY;
    if (rn == 10 && bytesEqual(rest, K_RISK, 10)) return OWN_FLAT_RISK;
  }
  return OWN_NONE;
}

let severity: u32 = 0;
let risk: u32 = 0;

// Values the tag replaced, in record order: u32 key start, key end (with quotes), value start,
// value end (offsets in the record), u32 1 when the key is a member of the record's event object.
const replaced = new Region();
let replacedCount: u32 = 0;
const REPLACED_SIZE: usize = 20;

function keepReplaced(ks: usize, ke: usize, vs: usize, ve: usize, inEvent: u32): void {
  if (!replaced.ensure(<usize>(replacedCount + 1) * REPLACED_SIZE)) {
    out.failed = true; // the record passes through unchanged rather than losing a value
    return;
  }
  const e = replaced.ptr + <usize>replacedCount * REPLACED_SIZE;
  store<u32>(e, <u32>ks);
  store<u32>(e, <u32>ke, 4);
  store<u32>(e, <u32>vs, 8);
  store<u32>(e, <u32>ve, 12);
  store<u32>(e, inEvent, 16);
  replacedCount++;
}

/** Builds the tagged record for the matched rules into `out`; false when it could not be built. */
export function buildTagged(rec: usize): bool {
  out.reset();
  if (!ensureMemberSpans()) return false; // the scan leaves them to the records that are tagged
  replacedCount = 0;
  severity = 0;
  risk = 0;
  for (let i: u32 = 0; i < matchedCount; i++) {
    const r = ruleAt(i);
    const sev = load<u32>(r, 44);
    const rs = load<u32>(r, 48);
    if (sev > severity) severity = sev;
    if (rs > risk) risk = rs;
  }
  let owned = false;
  for (let s: u32 = 0; s < topSpanCount; s++) {
    if (ownership(rec, s) != OWN_NONE) {
      owned = true;
      break;
    }
  }
  if (!owned) {
    out.bytes(rec, <usize>closingBrace);
    if (topSpanCount > 0) out.byte(0x2c);
    writeEventMember();
    writeTagMembers(rec);
  } else {
    rebuild(rec);
  }
  out.byte(0x7d);
  out.byte(0);
  return !out.failed;
}

function writeEventFields(): void {
  out.ascii('"kind":"alert","severity":');
  out.uint(severity);
  out.ascii(',"risk_score":');
  out.uint(risk);
}

function writeEventMember(): void {
  out.ascii('"event":{');
  writeEventFields();
  out.byte(0x7d);
}

/** Top level rebuilt: members copied in order, owned ones replaced or dropped, tag members appended. */
function rebuild(rec: usize): void {
  out.byte(0x7b);
  let first = true;
  let eventWritten = false;
  let flatSeen: u32 = 0;
  for (let s: u32 = 0; s < topSpanCount; s++) {
    const kind = ownership(rec, s);
    const ks = <usize>spanAt(topSpans, s, 0);
    const ke = <usize>spanAt(topSpans, s, 1);
    const vs = <usize>spanAt(topSpans, s, 2);
    const ve = <usize>spanAt(topSpans, s, 3);
    if (kind == OWN_DROP) {
      keepReplaced(ks, ke, vs, ve, 0);
      continue;
    }
    if (!first) out.byte(0x2c);
    first = false;
    if (kind == OWN_NONE) {
      out.bytes(rec + ks, ve - ks);
    } else if (kind == OWN_EVENT_OBJECT) {
      out.bytes(rec + ks, ke - ks);
      out.byte(0x3a);
      writeMergedEvent(rec, <usize>spanAt(topSpans, s, 2), ve);
      eventWritten = true;
    } else {
      out.bytes(rec + ks, ke - ks);
      out.byte(0x3a);
      keepReplaced(ks, ke, vs, ve, 0);
      if (kind == OWN_FLAT_KIND) out.ascii('"alert"');
      else out.uint(kind == OWN_FLAT_SEVERITY ? severity : risk);
      flatSeen |= 1 << kind;
    }
  }
  if (!eventWritten) {
    if (flatSeen != 0) {
      // The record uses flattened event keys: add the missing ones the same way.
      if (!(flatSeen & (1 << OWN_FLAT_KIND))) { if (!first) out.byte(0x2c); out.ascii('"event.kind":"alert"'); first = false; }
      if (!(flatSeen & (1 << OWN_FLAT_SEVERITY))) { if (!first) out.byte(0x2c); out.ascii('"event.severity":'); out.uint(severity); first = false; }
      if (!(flatSeen & (1 << OWN_FLAT_RISK))) { if (!first) out.byte(0x2c); out.ascii('"event.risk_score":'); out.uint(risk); first = false; }
    } else {
      if (!first) out.byte(0x2c);
      writeEventMember();
      first = false;
    }
  }
  writeTagMembers(rec);
}

/** The record's own event object with kind, severity and risk_score set and its other members kept. */
function writeMergedEvent(rec: usize, start: usize, end: usize): void {
  out.byte(0x7b);
  // Only the event object recorded at the top level has member spans; it is the one at `start`.
  const spansValid = <usize>eventObjectStart == start && <usize>eventObjectEnd == end;
  let first = true;
  if (spansValid) {
    for (let s: u32 = 0; s < eventSpanCount; s++) {
      const ks = <usize>spanAt(eventSpans, s, 0);
      const ke = <usize>spanAt(eventSpans, s, 1);
      const ve = <usize>spanAt(eventSpans, s, 3);
      const k = rec + ks + 1;
      const n = ke - ks - 2;
      if ((n == 4 && bytesEqual(k, K_KIND, 4)) || (n == 8 && bytesEqual(k, K_SEVERITY, 8)) || (n == 10 && bytesEqual(k, K_RISK, 10))) {
        keepReplaced(ks, ke, <usize>spanAt(eventSpans, s, 2), ve, 1);
        continue;
      }
      if (!first) out.byte(0x2c);
      first = false;
      out.bytes(rec + ks, ve - ks);
    }
  } else {
    // A second `event` object (duplicate key): its members are not known one by one, so it is kept whole.
    keepReplaced(0, 0, start, end, 2);
  }
  if (!first) out.byte(0x2c);
  writeEventFields();
  out.byte(0x7d);
}

function writeTagMembers(rec: usize): void {
  writeRuleMember();
  writeThreatMember();
  writeAlertsMember(rec);
  if (load<u32>(options, 32) & OPTION_KIBANA_FIELDS) writeKibanaMember();
}

// ---- Elastic's alert field names (build option --kibana-fields)

function severityWord(n: u32): string {
  return n >= 99 ? 'critical' : n >= 73 ? 'high' : n >= 47 ? 'medium' : 'low';
}

/** One value per matched rule: a scalar for one rule, an array for several (as rule.*). */
function perRule(key: string, write: (i: u32) => void): void {
  out.ascii(key);
  if (matchedCount > 1) out.byte(0x5b);
  for (let i: u32 = 0; i < matchedCount; i++) {
    if (i > 0) out.byte(0x2c);
    write(i);
  }
  if (matchedCount > 1) out.byte(0x5d);
}

/** The first value of a view field of this record (NONE when absent). */
function firstViewValue(slot: u32): u32 {
  if (slot == 0xffffffff || slotVoided(slot)) return NONE;
  for (let v = firstValue(shapeDoc, shapePlan, slot); v != NONE; v = nextValue(v)) if (valueKind(v) != KIND_INVALID) return v;
  return NONE;
}

/** "event with source <source.ip> by <user.name> created <severity> alert <rule name>." (parts left out when absent) */
function writeReason(i: u32): void {
  const r = ruleAt(i);
  out.ascii('"event');
  const ip = firstViewValue(load<u32>(options, 40));
  if (ip != NONE) {
    out.ascii(' with source ');
    out.jsonStringContent(valuePtr(ip), <usize>valueLen(ip));
  }
  const user = firstViewValue(load<u32>(options, 44));
  if (user != NONE) {
    out.ascii(' by ');
    out.jsonStringContent(valuePtr(user), <usize>valueLen(user));
  }
  out.ascii(' created ');
  out.ascii(severityWord(load<u32>(r, 44)));
  out.ascii(' alert ');
  // The rule name fragment is a JSON string: its content goes inside this one.
  const f = frags + <usize>(load<u32>(r, 52) + Frag.Name) * FRAG_SIZE;
  const n = <usize>load<u32>(f, 4);
  if (n >= 2) out.bytes(dataPtr + <usize>load<u32>(f) + 1, n - 2);
  out.ascii('."');
}

/** The new combinations of matched entry i: one combination as its values, several as an array of them (null for a query rule). */
function writeNewTermsValues(i: u32): void {
  const r = ruleAt(i);
  if (!(load<u32>(r, 12) & RULE_NEW_TERMS)) {
    out.ascii('null');
    return;
  }
  const fields = load<u32>(r, 16);
  const count = comboCount(i);
  if (count > 1) out.byte(0x5b);
  for (let c: u32 = 0; c < count; c++) {
    if (c > 0) out.byte(0x2c);
    out.byte(0x5b);
    for (let k: u32 = 0; k < fields; k++) {
      if (k > 0) out.byte(0x2c);
      writeTermValue(comboValue(i, c, k, fields));
    }
    out.byte(0x5d);
  }
  if (count > 1) out.byte(0x5d);
}

function writeKibanaMember(): void {
  out.ascii(',"kibana":{"alert":{"rule":{');
  perRule('"name":', (i: u32): void => { frag(ruleAt(i), Frag.Name); });
  perRule(',"rule_id":', (i: u32): void => { frag(ruleAt(i), Frag.Id); });
  perRule(',"type":', (i: u32): void => { frag(ruleAt(i), Frag.Category); });
  out.ascii('},');
  perRule('"severity":', (i: u32): void => {
    out.byte(0x22);
    out.ascii(severityWord(load<u32>(ruleAt(i), 44)));
    out.byte(0x22);
  });
  perRule(',"risk_score":', (i: u32): void => { out.uint(<u64>load<u32>(ruleAt(i), 48)); });
  let anyNewTerms = false;
  for (let i: u32 = 0; i < matchedCount; i++) if (load<u32>(ruleAt(i), 12) & RULE_NEW_TERMS) anyNewTerms = true;
  if (anyNewTerms) perRule(',"new_terms":', writeNewTermsValues);
  perRule(',"reason":', writeReason);
  out.ascii('}}');
}

function writeRuleField(key: string, kind: u32): void {
  // A key is written only when some matched rule has a value for it.
  let any = false;
  for (let i: u32 = 0; i < matchedCount; i++) if (fragLen(ruleAt(i), kind) > 0) any = true;
  if (!any) return;
  out.ascii(key);
  if (matchedCount == 1) {
    frag(ruleAt(0), kind);
    return;
  }
  out.byte(0x5b);
  for (let i: u32 = 0; i < matchedCount; i++) {
    if (i > 0) out.byte(0x2c);
    if (!frag(ruleAt(i), kind)) out.ascii('null');
  }
  out.byte(0x5d);
}

/** Tag members always follow the event member (or the record's own members), hence the leading commas. */
function writeRuleMember(): void {
  out.ascii(',"rule":{');
  writeRuleField('"id":', Frag.Id);
  writeRuleField(',"name":', Frag.Name);
  writeRuleField(',"version":', Frag.Version);
  writeRuleField(',"category":', Frag.Category);
  writeRuleField(',"ruleset":', Frag.Ruleset);
  writeRuleField(',"author":', Frag.Author);
  writeRuleField(',"license":', Frag.License);
  writeRuleField(',"reference":', Frag.Reference);
  if (load<u32>(options, 32) & OPT_DESCRIPTION) writeRuleField(',"description":', Frag.Description);
  out.byte(0x7d);
}

/** Writes the union (rule order, no duplicates) of the matched rules' values of one threat field. */
function writeThreatValues(field: u32): void {
  out.byte(0x5b);
  let written: u32 = 0;
  for (let i: u32 = 0; i < matchedCount; i++) {
    const r = ruleAt(i);
    const ts = load<u32>(r, 56);
    const tc = load<u32>(r, 60);
    for (let k: u32 = 0; k < tc; k++) {
      const t = threats + <usize>(ts + k) * THREAT_SIZE;
      if (load<u32>(t) != field) continue;
      if (seenBefore(i, k, field, t)) continue;
      if (written > 0) out.byte(0x2c);
      out.bytes(dataPtr + <usize>load<u32>(t, 4), <usize>load<u32>(t, 8));
      written++;
    }
  }
  out.byte(0x5d);
}

/** Did an earlier entry (earlier rule, or earlier in this rule) carry the same value for the field? */
function seenBefore(ruleEntry: u32, index: u32, field: u32, t: usize): bool {
  const p = dataPtr + <usize>load<u32>(t, 4);
  const n = <usize>load<u32>(t, 8);
  for (let i: u32 = 0; i <= ruleEntry; i++) {
    const r = ruleAt(i);
    const ts = load<u32>(r, 56);
    const tc = i == ruleEntry ? index : load<u32>(r, 60);
    for (let k: u32 = 0; k < tc; k++) {
      const o = threats + <usize>(ts + k) * THREAT_SIZE;
      if (load<u32>(o) == field && <usize>load<u32>(o, 8) == n && bytesEqual(dataPtr + <usize>load<u32>(o, 4), p, n)) return true;
    }
  }
  return false;
}

function hasThreatField(field: u32): bool {
  for (let i: u32 = 0; i < matchedCount; i++) {
    const r = ruleAt(i);
    const ts = load<u32>(r, 56);
    const tc = load<u32>(r, 60);
    for (let k: u32 = 0; k < tc; k++) if (load<u32>(threats + <usize>(ts + k) * THREAT_SIZE) == field) return true;
  }
  return false;
}

function writeThreatGroup(idField: u32): void {
  out.ascii('"id":');
  writeThreatValues(idField);
  out.ascii(',"name":');
  writeThreatValues(idField + 1);
  out.ascii(',"reference":');
  writeThreatValues(idField + 2);
}

function writeThreatMember(): void {
  if (threatCount == 0 || !hasThreatField(ThreatField.Framework)) return;
  out.ascii(',"threat":{"framework":');
  writeThreatValues(ThreatField.Framework);
  if (hasThreatField(ThreatField.TacticId)) {
    out.ascii(',"tactic":{');
    writeThreatGroup(ThreatField.TacticId);
    out.byte(0x7d);
  }
  if (hasThreatField(ThreatField.TechniqueId)) {
    out.ascii(',"technique":{');
    writeThreatGroup(ThreatField.TechniqueId);
    if (hasThreatField(ThreatField.SubtechniqueId)) {
      out.ascii(',"subtechnique":{');
      writeThreatGroup(ThreatField.SubtechniqueId);
      out.byte(0x7d);
    }
    out.byte(0x7d);
  }
  out.byte(0x7d);
}

function writeTermValue(v: u32): void {
  out.byte(0x22);
  out.jsonStringContent(valuePtr(v), <usize>valueLen(v));
  out.byte(0x22);
}

/** `"replaced":{...}`: each replaced value under its key (`event.kind` for a member of the event object). */
function writeReplaced(rec: usize): void {
  out.ascii(',"replaced":{');
  for (let i: u32 = 0; i < replacedCount; i++) {
    const e = replaced.ptr + <usize>i * REPLACED_SIZE;
    if (i > 0) out.byte(0x2c);
    const ks = <usize>load<u32>(e);
    const ke = <usize>load<u32>(e, 4);
    const where = load<u32>(e, 16);
    if (where == 2) {
      out.ascii('"event"');
    } else if (where == 1) {
      out.ascii('"event.');
      out.bytes(rec + ks + 1, ke - ks - 1); // the member's key without its opening quote
    } else {
      out.bytes(rec + ks, ke - ks);
    }
    out.byte(0x3a);
    const vs = <usize>load<u32>(e, 8);
    out.bytes(rec + vs, <usize>load<u32>(e, 12) - vs);
  }
  out.byte(0x7d);
}

function writeAlertsMember(rec: usize): void {
  out.ascii(',"kql_edge":{"alerts":[');
  for (let i: u32 = 0; i < matchedCount; i++) {
    const r = ruleAt(i);
    if (i > 0) out.byte(0x2c);
    frag(r, Frag.AlertHead);
    if (load<u32>(r, 12) & RULE_NEW_TERMS) {
      out.ascii(',"new_terms":{"fields":');
      frag(r, Frag.NewTermsFields);
      out.ascii(',"values":');
      writeNewTermsValues(i);
      out.byte(0x7d);
    }
    if (load<u32>(r, 12) & RULE_FLAG_SEQUENCE) writeSequence(out, load<u32>(matched.ptr + <usize>i * 4));
    if (load<u32>(r, 12) & RULE_FLAG_ESQL_STATS) writeStatsEsql(out, load<u32>(matched.ptr + <usize>i * 4));
    else if (load<u32>(r, 12) & RULE_FLAG_ESQL) writeEsql(out, load<u32>(matched.ptr + <usize>i * 4));
    out.byte(0x7d);
  }
  out.byte(0x5d);
  if (replacedCount > 0) writeReplaced(rec);
  out.byte(0x7d);
}
