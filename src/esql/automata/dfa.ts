// Byte automata for ES|QL RLIKE, built at compile time: Thompson NFAs over bytes, the subset
// construction, product (intersection), complement (within valid UTF-8), Moore minimisation, and
// the table the module runs (byte -> class map, then one row of next states per state; state 0 is
// the dead state). Running the table is one lookup per input byte: linear time, no backtracking.
import { utf8Sequences, type ByteRange } from './utf8.js';
import type { CharSet } from '../lucene-regex.js';

/** An NFA: per state, byte transitions and epsilon moves. */
export class Nfa {
  readonly trans: [number, number, number][][] = [];
  readonly eps: number[][] = [];
  add(): number {
    this.trans.push([]);
    this.eps.push([]);
    return this.trans.length - 1;
  }
  get size(): number {
    return this.trans.length;
  }
}

/** A fragment of an NFA: enter at `start`, leave at `end`. */
export interface Frag {
  start: number;
  end: number;
}

export class AutomatonTooLargeError extends Error {}

/** Byte transitions from `from` to `to` for the code points of `set`. */
export function charSetFrag(nfa: Nfa, set: CharSet): Frag {
  const start = nfa.add();
  const end = nfa.add();
  for (const [lo, hi] of set) {
    for (const seq of utf8Sequences(lo, hi)) addSequence(nfa, start, end, seq);
  }
  return { start, end };
}

function addSequence(nfa: Nfa, from: number, to: number, seq: ByteRange[]): void {
  let cur = from;
  seq.forEach(([a, b], i) => {
    const next = i === seq.length - 1 ? to : nfa.add();
    nfa.trans[cur].push([a, b, next]);
    cur = next;
  });
}

/** A deterministic automaton, complete over bytes. */
export interface Dfa {
  /** next[s][byte] */
  next: Int32Array[];
  accept: boolean[];
  start: number;
}

const MAX_STATES = 20_000;

/** The subset construction from `frag` of `nfa`. */
export function determinize(nfa: Nfa, frag: Frag): Dfa {
  const closure = (states: number[]): number[] => {
    const seen = new Set<number>(states);
    const stack = [...states];
    while (stack.length > 0) {
      const s = stack.pop()!;
      for (const t of nfa.eps[s]) if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
    return [...seen].sort((a, b) => a - b);
  };
  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const dfa: Dfa = { next: [], accept: [], start: 0 };
  const intern = (set: number[]): number => {
    const key = set.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      if (id >= MAX_STATES) throw new AutomatonTooLargeError(`more than ${MAX_STATES} automaton states`);
      ids.set(key, id);
      sets.push(set);
      dfa.next.push(new Int32Array(256));
      dfa.accept.push(set.includes(frag.end));
    }
    return id;
  };
  intern([]); // state 0: dead
  dfa.start = intern(closure([frag.start]));
  for (let i = 1; i < sets.length; i++) {
    const set = sets[i];
    // Per byte, the union of targets: built range by range.
    const targets: number[][] = Array.from({ length: 256 }, () => []);
    for (const s of set) for (const [a, b, t] of nfa.trans[s]) for (let x = a; x <= b; x++) targets[x].push(t);
    const cache = new Map<string, number>();
    for (let x = 0; x < 256; x++) {
      const raw = targets[x];
      if (raw.length === 0) continue;
      const key = raw.join(',');
      let id = cache.get(key);
      if (id === undefined) {
        id = intern(closure([...new Set(raw)]));
        cache.set(key, id);
      }
      dfa.next[i][x] = id;
    }
  }
  return dfa;
}

/** The product automaton accepting what both accept. */
export function intersect(a: Dfa, b: Dfa): Dfa {
  const ids = new Map<number, number>();
  const pairs: [number, number][] = [];
  const dfa: Dfa = { next: [], accept: [], start: 0 };
  const intern = (x: number, y: number): number => {
    if (x === 0 || y === 0) return 0;
    const key = x * 1_000_003 + y;
    let id = ids.get(key);
    if (id === undefined) {
      id = pairs.length;
      if (id >= MAX_STATES) throw new AutomatonTooLargeError(`more than ${MAX_STATES} automaton states`);
      ids.set(key, id);
      pairs.push([x, y]);
      dfa.next.push(new Int32Array(256));
      dfa.accept.push(a.accept[x] && b.accept[y]);
    }
    return id;
  };
  pairs.push([0, 0]);
  dfa.next.push(new Int32Array(256));
  dfa.accept.push(false);
  dfa.start = intern(a.start, b.start);
  for (let i = 1; i < pairs.length; i++) {
    const [x, y] = pairs[i];
    for (let c = 0; c < 256; c++) dfa.next[i][c] = intern(a.next[x][c], b.next[y][c]);
  }
  return dfa;
}

/** Every byte string the automaton rejects (the caller intersects with valid UTF-8). */
export function complementAll(a: Dfa): Dfa {
  // Make the dead state an ordinary (accepting) state: copy with a fresh dead state 0.
  const n = a.next.length;
  const dfa: Dfa = { next: [new Int32Array(256)], accept: [false], start: a.start + 1 };
  for (let s = 0; s < n; s++) {
    const row = new Int32Array(256);
    for (let c = 0; c < 256; c++) row[c] = a.next[s][c] + 1;
    dfa.next.push(row);
    dfa.accept.push(!a.accept[s]);
  }
  return dfa;
}

/** Moore's partition refinement; unreachable states are dropped first. State 0 stays the dead state. */
export function minimize(a: Dfa): Dfa {
  const reach = new Set<number>([0, a.start]);
  const stack = [a.start];
  while (stack.length > 0) {
    const s = stack.pop()!;
    for (let c = 0; c < 256; c++) {
      const t = a.next[s][c];
      if (!reach.has(t)) {
        reach.add(t);
        stack.push(t);
      }
    }
  }
  const states = [...reach].sort((x, y) => x - y);
  let block = new Map<number, number>(states.map((s) => [s, a.accept[s] ? 1 : 0]));
  let count = new Set(block.values()).size;
  while (true) {
    const sig = new Map<string, number>();
    const next = new Map<number, number>();
    for (const s of states) {
      const parts = [block.get(s)!];
      for (let c = 0; c < 256; c++) parts.push(block.get(a.next[s][c])!);
      const key = parts.join(',');
      let id = sig.get(key);
      if (id === undefined) {
        id = sig.size;
        sig.set(key, id);
      }
      next.set(s, id);
    }
    block = next;
    if (sig.size === count) break;
    count = sig.size;
  }
  // Renumber: the dead state's block first (0), then the others in order of appearance.
  const order = new Map<number, number>();
  order.set(block.get(0)!, 0);
  for (const s of states) if (!order.has(block.get(s)!)) order.set(block.get(s)!, order.size);
  const dfa: Dfa = { next: [], accept: [], start: order.get(block.get(a.start)!)! };
  for (let i = 0; i < order.size; i++) {
    dfa.next.push(new Int32Array(256));
    dfa.accept.push(false);
  }
  for (const s of states) {
    const id = order.get(block.get(s)!)!;
    dfa.accept[id] = a.accept[s];
    for (let c = 0; c < 256; c++) dfa.next[id][c] = order.get(block.get(a.next[s][c])!)!;
  }
  return dfa;
}

/** The DFA as an NFA fragment (to concatenate or repeat it with others). */
export function dfaFrag(nfa: Nfa, a: Dfa): Frag {
  const base = nfa.size;
  for (let s = 0; s < a.next.length; s++) nfa.add();
  const end = nfa.add();
  for (let s = 1; s < a.next.length; s++) {
    let c = 0;
    while (c < 256) {
      const t = a.next[s][c];
      let d = c;
      while (d + 1 < 256 && a.next[s][d + 1] === t) d++;
      if (t !== 0) nfa.trans[base + s].push([c, d, base + t]);
      c = d + 1;
    }
    if (a.accept[s]) nfa.eps[base + s].push(end);
  }
  return { start: base + a.start, end };
}

/** The table the module runs: byte classes, then rows of u16 next states (class-indexed). */
export interface DfaTable {
  states: number;
  classes: number;
  start: number;
  /** byte -> class */
  classOf: Uint8Array;
  /** states * classes next states */
  next: Uint16Array;
  accept: Uint8Array;
}

export function toTable(a: Dfa): DfaTable {
  // Bytes with identical columns share a class.
  const columnKey = (c: number) => a.next.map((row) => row[c]).join(',');
  const classes = new Map<string, number>();
  const classOf = new Uint8Array(256);
  const reps: number[] = [];
  for (let c = 0; c < 256; c++) {
    const k = columnKey(c);
    let id = classes.get(k);
    if (id === undefined) {
      id = classes.size;
      classes.set(k, id);
      reps.push(c);
    }
    classOf[c] = id;
  }
  if (a.next.length > 0xffff) throw new AutomatonTooLargeError('more than 65535 automaton states');
  const next = new Uint16Array(a.next.length * reps.length);
  a.next.forEach((row, s) => reps.forEach((c, k) => (next[s * reps.length + k] = row[c])));
  return { states: a.next.length, classes: reps.length, start: a.start, classOf, next, accept: Uint8Array.from(a.accept.map((x) => (x ? 1 : 0))) };
}

/** Runs a table on bytes (the module's loop, for tests and the compiler's own checks). */
export function runTable(t: DfaTable, bytes: Uint8Array): boolean {
  let s = t.start;
  for (const b of bytes) {
    s = t.next[s * t.classes + t.classOf[b]];
    if (s === 0) return false;
  }
  return t.accept[s] === 1;
}
