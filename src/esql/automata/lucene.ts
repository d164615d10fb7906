// Lucene regular expressions (ES|QL RLIKE) to a minimal byte DFA matching the UTF-8 encoding of
// exactly the strings the expression matches as a whole. Union, concatenation and repetition are
// Thompson constructions; intersection is the product of the operands' DFAs; complement is taken
// within valid UTF-8 (so every sub-language holds only whole characters and concatenation never
// splits one). Numeric intervals `<n-m>` are spelled out as strings (up to a bound).
import { MAX_CODE_POINT, parseLuceneRegex, type Regex } from '../lucene-regex.js';
import { AutomatonTooLargeError, charSetFrag, complementAll, determinize, dfaFrag, intersect, minimize, Nfa, toTable, type Dfa, type DfaTable, type Frag } from './dfa.js';
import { encodeUtf8 } from './utf8.js';

/** Most numbers a `<n-m>` interval may spell out. */
const MAX_INTERVAL_VALUES = 10_000;
/** Most copies of a sub-expression a bounded repetition may make. */
const MAX_REPEAT_COPIES = 1_000;

let validUtf8: Dfa | undefined;
/** Every valid UTF-8 string. */
function anyString(): Dfa {
  if (!validUtf8) {
    const nfa = new Nfa();
    const one = charSetFrag(nfa, [[0, MAX_CODE_POINT]]);
    const start = nfa.add();
    nfa.eps[start].push(one.start);
    nfa.eps[one.end].push(start);
    validUtf8 = minimize(determinize(nfa, { start, end: start }));
  }
  return validUtf8;
}

function build(nfa: Nfa, r: Regex): Frag {
  switch (r.kind) {
    case 'set':
      return charSetFrag(nfa, r.set);
    case 'string': {
      const start = nfa.add();
      let cur = start;
      for (const ch of r.text) {
        for (const b of encodeUtf8(ch.codePointAt(0)!)) {
          const next = nfa.add();
          nfa.trans[cur].push([b, b, next]);
          cur = next;
        }
      }
      return { start, end: cur };
    }
    case 'empty': {
      const s = nfa.add();
      return { start: s, end: s };
    }
    case 'anystring':
      return dfaFrag(nfa, anyString());
    case 'concat': {
      const a = build(nfa, r.left);
      const b = build(nfa, r.right);
      nfa.eps[a.end].push(b.start);
      return { start: a.start, end: b.end };
    }
    case 'union': {
      const a = build(nfa, r.left);
      const b = build(nfa, r.right);
      const start = nfa.add();
      const end = nfa.add();
      nfa.eps[start].push(a.start, b.start);
      nfa.eps[a.end].push(end);
      nfa.eps[b.end].push(end);
      return { start, end };
    }
    case 'repeat': {
      if (r.min > MAX_REPEAT_COPIES || r.max > MAX_REPEAT_COPIES) throw new AutomatonTooLargeError(`a repetition of more than ${MAX_REPEAT_COPIES}`);
      const start = nfa.add();
      let cur = start;
      for (let i = 0; i < r.min; i++) {
        const f = build(nfa, r.child);
        nfa.eps[cur].push(f.start);
        cur = f.end;
      }
      if (r.max === -1) {
        const f = build(nfa, r.child);
        nfa.eps[cur].push(f.start);
        nfa.eps[f.end].push(cur);
        return { start, end: cur };
      }
      const end = nfa.add();
      nfa.eps[cur].push(end);
      for (let i = r.min; i < r.max; i++) {
        const f = build(nfa, r.child);
        nfa.eps[cur].push(f.start);
        nfa.eps[f.end].push(end);
        cur = f.end;
      }
      return { start, end };
    }
    case 'inter':
      return dfaFrag(nfa, intersect(dfaOf(r.left), dfaOf(r.right)));
    case 'complement':
      return dfaFrag(nfa, intersect(complementAll(dfaOf(r.child)), anyString()));
    case 'interval': {
      if (r.max - r.min + 1 > MAX_INTERVAL_VALUES) throw new AutomatonTooLargeError(`a numeric interval of more than ${MAX_INTERVAL_VALUES} values`);
      // digits > 0: exactly that many characters (zero-padded); else any number of leading zeros.
      const start = nfa.add();
      const end = nfa.add();
      let body = start;
      if (r.digits === 0) {
        body = nfa.add();
        nfa.eps[start].push(body);
        nfa.trans[body].push([0x30, 0x30, body]);
      }
      for (let v = r.min; v <= r.max; v++) {
        let text = String(v);
        if (r.digits > 0) {
          if (text.length > r.digits) continue;
          text = text.padStart(r.digits, '0');
        }
        let cur = body;
        for (const ch of text) {
          const next = nfa.add();
          nfa.trans[cur].push([ch.charCodeAt(0), ch.charCodeAt(0), next]);
          cur = next;
        }
        nfa.eps[cur].push(end);
      }
      return { start, end };
    }
  }
}

function dfaOf(r: Regex): Dfa {
  const nfa = new Nfa();
  const f = build(nfa, r);
  return minimize(determinize(nfa, f));
}

/** The module's table for a Lucene pattern matched against the whole string. */
export function luceneTable(pattern: string): DfaTable {
  return toTable(dfaOf(parseLuceneRegex(pattern)));
}
