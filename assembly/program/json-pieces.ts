// The pre-rendered JSON pieces of a program (rule fragments, threat values, ES|QL column keys) are
// copied verbatim into tagged records. A damaged piece would make the module emit invalid JSON, and
// Fluent Bit loses the whole chunk on that (spec: fluent-bit-wasm.md). So every piece is checked once,
// at load, with the record scanner's own grammar: wrapped into the smallest document its use implies.
import { Region } from '../util/buffer';
import { rules, ruleCount, frags, fragCount, threats, threatCount, dataPtr } from './program';
import { esqlOutputs, esqlOutputCount } from './esql-sections';
import { RULE_SIZE, FRAG_SIZE, THREAT_SIZE, ESQL_OUTPUT_SIZE, Frag } from './format';
import { scanDocument, beginAllLeaves } from '../json/scanner';

/** Load error: a pre-rendered piece is not the JSON its place in a tagged record needs. */
export const ERR_JSON_PIECE: i32 = 44;

const RULE_NEW_TERMS: u32 = 1; // rule flag (eval/record.ts): the alert writes its new-terms fields
const NO_PLANS: u32 = 0; // validate only: no plan reads anything
const scratch = new Region();

const OPEN_MEMBER = '{"v":';
const OPEN_MEMBER_BYTES = memory.data<u8>([123, 34, 118, 34, 58]);
const NEXT_MEMBER_BYTES = memory.data<u8>([44, 34, 120, 34, 58, 48, 125]); // ,"x":0}
const AS_VALUE_BYTES = memory.data<u8>([58, 48, 125]); // :0}

/** Is `prefix` + [p, p+n) + `suffix` one valid JSON object? */
function validWrapped(prefix: usize, prefixLen: usize, p: usize, n: usize, suffix: usize, suffixLen: usize): bool {
  const total = prefixLen + n + suffixLen;
  if (!scratch.ensure(total)) return false;
  memory.copy(scratch.ptr, prefix, prefixLen);
  memory.copy(scratch.ptr + prefixLen, p, n);
  memory.copy(scratch.ptr + prefixLen + n, suffix, suffixLen);
  beginAllLeaves(false); // reset per record anyway; here nothing may be recorded
  return scanDocument(scratch.ptr, scratch.ptr + total, false, true, NO_PLANS);
}

/** A piece written as a member's value: `{"v":` piece `}`. */
function validValue(p: usize, n: usize): bool {
  return n > 0 && validWrapped(OPEN_MEMBER_BYTES, OPEN_MEMBER.length, p, n, AS_VALUE_BYTES + 2, 1);
}

/** A piece written as a member's key: `{` piece `:0}`. */
function validKey(p: usize, n: usize): bool {
  return n > 0 && load<u8>(p) == 0x22 && validWrapped(OPEN_MEMBER_BYTES, 1, p, n, AS_VALUE_BYTES, 3);
}

/** An alert's head: an object left open after at least one member (`,"new_terms":...` and `}` follow). */
function validOpenObject(p: usize, n: usize): bool {
  return n > 0 && load<u8>(p) == 0x7b && validWrapped(OPEN_MEMBER_BYTES, 0, p, n, NEXT_MEMBER_BYTES, 7);
}

@inline function fragAt(rule: usize, kind: u32): usize {
  return frags + <usize>(load<u32>(rule, 52) + kind) * FRAG_SIZE;
}

/** 0 when every piece is well formed, else ERR_JSON_PIECE. Runs after the references were checked. */
export function validateJsonPieces(): i32 {
  for (let r: u32 = 0; r < ruleCount; r++) {
    const rule = rules + <usize>r * RULE_SIZE;
    for (let kind: u32 = 0; kind < Frag.Count; kind++) {
      const f = fragAt(rule, kind);
      const p = dataPtr + <usize>load<u32>(f);
      const n = <usize>load<u32>(f, 4);
      // Written unconditionally (alert head, kibana members, counters): never empty.
      const required = kind == Frag.Id || kind == Frag.Name || kind == Frag.Category || kind == Frag.AlertHead;
      const newTermsFields = kind == Frag.NewTermsFields && (load<u32>(rule, 12) & RULE_NEW_TERMS) != 0;
      if (n == 0) {
        if (required || newTermsFields) return ERR_JSON_PIECE;
        continue;
      }
      if (kind == Frag.AlertHead) {
        if (!validOpenObject(p, n)) return ERR_JSON_PIECE;
      } else if (kind == Frag.Name) {
        // Its content also goes inside the reason string: it must be a string itself.
        if (load<u8>(p) != 0x22 || !validValue(p, n)) return ERR_JSON_PIECE;
      } else if (!validValue(p, n)) return ERR_JSON_PIECE;
    }
  }
  for (let i: u32 = 0; i < threatCount; i++) {
    const t = threats + <usize>i * THREAT_SIZE;
    if (!validValue(dataPtr + <usize>load<u32>(t, 4), <usize>load<u32>(t, 8))) return ERR_JSON_PIECE;
  }
  for (let i: u32 = 0; i < esqlOutputCount; i++) {
    const o = esqlOutputs + <usize>i * ESQL_OUTPUT_SIZE;
    if (!validKey(dataPtr + <usize>load<u32>(o), <usize>load<u32>(o, 4))) return ERR_JSON_PIECE;
  }
  return 0;
}
