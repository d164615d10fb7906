// GROK's regex (the Java/Oniguruma subset, java-regex.ts) to a Pike VM program over bytes: the
// module runs it as a breadth-first simulation with thread priorities, which gives the captures of
// the leftmost match exactly as a backtracking engine would (leftmost-first, greedy/lazy) in time
// linear in the input (program size x input length), with no backtracking.
import { parseJavaRegex, type DotMode, type JavaRegex } from '../java-regex.js';
import { utf8Sequences } from './utf8.js';
import { AutomatonTooLargeError } from './dfa.js';

export enum PikeOp {
  Range = 0, // a = lo | hi << 8, b = next
  Split = 1, // a = preferred, b = other
  Jmp = 2, // a = target
  Save = 3, // a = capture slot, b = next
  Match = 4,
}

export interface PikeInst {
  op: PikeOp;
  a: number;
  b: number;
}

export interface PikeProgram {
  insts: PikeInst[];
  /** Capture groups (slots 2g, 2g+1 for group g; group 0 is the whole match). */
  groups: number;
  /** Group index of each named group. */
  names: Map<string, number>;
}

/** Bounds the module's recursion when it follows jumps and splits (and its thread lists). */
export const MAX_PIKE_INSTS = 1024;

export function compilePike(pattern: string, dot: DotMode): PikeProgram {
  const re = parseJavaRegex(pattern, dot);
  const insts: PikeInst[] = [];
  const names = new Map<string, number>();
  let groups = 0;
  const emit = (op: PikeOp, a = 0, b = 0): number => {
    if (insts.length >= MAX_PIKE_INSTS) throw new AutomatonTooLargeError(`more than ${MAX_PIKE_INSTS} regex instructions`);
    insts.push({ op, a, b });
    return insts.length - 1;
  };
  const HOLE = -1;
  // Each compile step returns the instructions whose "next" must be patched to what follows.
  type Patch = { inst: number; field: 'a' | 'b' }[];
  const patch = (p: Patch, target: number) => {
    for (const { inst, field } of p) insts[inst][field] = target;
  };
  const comp = (r: JavaRegex): { start: number; out: Patch } => {
    switch (r.kind) {
      case 'set': {
        // Alternatives of byte sequences: a split chain, each sequence a chain of ranges.
        const seqs = r.set.flatMap(([lo, hi]) => utf8Sequences(lo, hi));
        if (seqs.length === 0) {
          const j = emit(PikeOp.Range, 1 | (0 << 8), HOLE); // lo > hi: matches nothing
          return { start: j, out: [] };
        }
        const out: Patch = [];
        let start = -1;
        let prevSplit = -1;
        seqs.forEach((seq, k) => {
          let entry: number;
          if (k < seqs.length - 1) {
            const s = emit(PikeOp.Split, HOLE, HOLE);
            if (prevSplit >= 0) insts[prevSplit].b = s;
            else start = s;
            prevSplit = s;
            entry = -1;
          } else entry = prevSplit;
          let first = -1;
          let last = -1;
          for (const [a, b] of seq) {
            const j = emit(PikeOp.Range, a | (b << 8), HOLE);
            if (first < 0) first = j;
            if (last >= 0) insts[last].b = j;
            last = j;
          }
          out.push({ inst: last, field: 'b' });
          if (k < seqs.length - 1) insts[prevSplit].a = first;
          else if (entry >= 0) insts[entry].b = first;
          else start = first;
        });
        return { start, out };
      }
      case 'concat': {
        if (r.items.length === 0) {
          const j = emit(PikeOp.Jmp, HOLE);
          return { start: j, out: [{ inst: j, field: 'a' }] };
        }
        let first: { start: number; out: Patch } | undefined;
        let prev: Patch = [];
        for (const item of r.items) {
          const c = comp(item);
          if (!first) first = c;
          else patch(prev, c.start);
          prev = c.out;
        }
        return { start: first!.start, out: prev };
      }
      case 'alt': {
        const out: Patch = [];
        let start = -1;
        let prevSplit = -1;
        r.items.forEach((item, k) => {
          if (k < r.items.length - 1) {
            const s = emit(PikeOp.Split, HOLE, HOLE);
            if (prevSplit >= 0) insts[prevSplit].b = s;
            else start = s;
            prevSplit = s;
            const c = comp(item);
            insts[s].a = c.start;
            out.push(...c.out);
          } else {
            const c = comp(item);
            if (prevSplit >= 0) insts[prevSplit].b = c.start;
            else start = c.start;
            out.push(...c.out);
          }
        });
        return { start, out };
      }
      case 'group': {
        const child = (): { start: number; out: Patch } => comp(r.child);
        if (r.index === 0) return child();
        if (r.name) names.set(r.name, r.index);
        groups = Math.max(groups, r.index);
        const open = emit(PikeOp.Save, 2 * r.index, HOLE);
        const c = child();
        insts[open].b = c.start;
        const close = emit(PikeOp.Save, 2 * r.index + 1, HOLE);
        patch(c.out, close);
        return { start: open, out: [{ inst: close, field: 'b' }] };
      }
      case 'repeat': {
        // min copies, then (max - min) optional copies or a loop.
        const pieces: { start: number; out: Patch }[] = [];
        const optional = (): { start: number; out: Patch } => {
          const s = emit(PikeOp.Split, HOLE, HOLE);
          const c = comp(r.child);
          if (r.greedy) insts[s].a = c.start;
          else insts[s].b = c.start;
          return { start: s, out: [...c.out, { inst: s, field: r.greedy ? 'b' : 'a' }] };
        };
        for (let k = 0; k < r.min; k++) pieces.push(comp(r.child));
        if (r.max === -1) {
          const s = emit(PikeOp.Split, HOLE, HOLE);
          const c = comp(r.child);
          patch(c.out, s);
          if (r.greedy) insts[s].a = c.start;
          else insts[s].b = c.start;
          pieces.push({ start: s, out: [{ inst: s, field: r.greedy ? 'b' : 'a' }] });
        } else for (let k = r.min; k < r.max; k++) pieces.push(optional());
        if (pieces.length === 0) {
          const j = emit(PikeOp.Jmp, HOLE);
          return { start: j, out: [{ inst: j, field: 'a' }] };
        }
        for (let k = 1; k < pieces.length; k++) patch(pieces[k - 1].out, pieces[k].start);
        return { start: pieces[0].start, out: pieces[pieces.length - 1].out };
      }
    }
  };
  // Group 0 (the whole match) around everything.
  const open = emit(PikeOp.Save, 0, HOLE);
  const body = comp(re);
  insts[open].b = body.start;
  const close = emit(PikeOp.Save, 1, HOLE);
  patch(body.out, close);
  const match = emit(PikeOp.Match);
  insts[close].b = match;
  // The program starts at instruction `open`; put it first by a jump at 0 if needed.
  if (open !== 0) throw new Error('internal: the program must start at 0');
  return { insts, groups, names };
}

/** Runs a program on bytes (the module's algorithm, for tests): captures of the leftmost-first match, or null. */
export function runPike(p: PikeProgram, input: Uint8Array): (number[] | null) {
  const slots = 2 * (p.groups + 1);
  type Thread = { pc: number; caps: number[] };
  let clist: Thread[] = [];
  let matched: number[] | null = null;
  for (let pos = 0; pos <= input.length; pos++) {
    const seen = new Set<number>();
    const add = (list: Thread[], pc: number, caps: number[]) => {
      if (seen.has(pc)) return;
      seen.add(pc);
      const inst = p.insts[pc];
      switch (inst.op) {
        case PikeOp.Jmp:
          add(list, inst.a, caps);
          return;
        case PikeOp.Split:
          add(list, inst.a, caps);
          add(list, inst.b, caps);
          return;
        case PikeOp.Save: {
          const c = [...caps];
          c[inst.a] = pos;
          add(list, inst.b, c);
          return;
        }
        default:
          list.push({ pc, caps });
      }
    };
    // Re-close the carried threads (already closed when added) and add a new start thread last.
    const cur: Thread[] = [];
    for (const t of clist) {
      if (!seen.has(t.pc)) {
        seen.add(t.pc);
        cur.push(t);
      }
    }
    if (matched === null) add(cur, 0, new Array(slots).fill(-1));
    if (cur.length === 0) break;
    const next: Thread[] = [];
    const nextSeen = new Set<number>();
    for (const t of cur) {
      const inst = p.insts[t.pc];
      if (inst.op === PikeOp.Match) {
        matched = t.caps;
        break; // lower-priority threads are cut
      }
      if (pos < input.length) {
        const b = input[pos];
        if (b >= (inst.a & 0xff) && b <= inst.a >> 8) {
          // closure happens when the next step starts: store the raw target
          next.push({ pc: inst.b, caps: t.caps });
          nextSeen.add(inst.b);
        }
      }
    }
    // Close the next list at pos + 1 in priority order.
    const closed: Thread[] = [];
    const seen2 = new Set<number>();
    const add2 = (pc: number, caps: number[]) => {
      if (seen2.has(pc)) return;
      seen2.add(pc);
      const inst = p.insts[pc];
      if (inst.op === PikeOp.Jmp) return add2(inst.a, caps);
      if (inst.op === PikeOp.Split) {
        add2(inst.a, caps);
        add2(inst.b, caps);
        return;
      }
      if (inst.op === PikeOp.Save) {
        const c = [...caps];
        c[inst.a] = pos + 1;
        return add2(inst.b, c);
      }
      closed.push({ pc, caps });
    };
    for (const t of next) add2(t.pc, t.caps);
    clist = closed;
  }
  return matched;
}
