// The EQL abstract syntax tree (Elastic's Event Query Language): what src/eql/parser.ts produces,
// what the reference evaluator (src/reference/eql.ts) interprets and the compiler lowers.
import type { Pos } from '../kql/ast.js';

export type { Pos };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
/** `:` (case-insensitive equality or wildcard), like/like~ (wildcards), regex/regex~. */
export type MatchOp = ':' | 'like' | 'like~' | 'regex' | 'regex~';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  /** A constant. Numbers keep the text they were written with. */
  | { kind: 'literal'; value: string | number | boolean | null; numberText?: string; pos: Pos }
  /** A field, by its full dotted name (backtick-quoted segments joined with `.`). */
  | { kind: 'field'; name: string; pos: Pos }
  | { kind: 'not'; child: Expr; pos: Pos }
  | { kind: 'and' | 'or'; children: Expr[]; pos: Pos }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr; pos: Pos }
  /** `left op pattern` or `left op (p1, p2, ...)`: true when any pattern matches. */
  | { kind: 'match'; op: MatchOp; left: Expr; patterns: Expr[]; pos: Pos }
  /** `left [not] in[~] (v1, v2, ...)`. */
  | { kind: 'in'; insensitive: boolean; negated: boolean; left: Expr; values: Expr[]; pos: Pos }
  /** A function call; `insensitive` is the `~` form (`startsWith~`). */
  | { kind: 'call'; name: string; insensitive: boolean; args: Expr[]; pos: Pos }
  | { kind: 'arith'; op: ArithOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'neg'; child: Expr; pos: Pos };

/** `<category> where <condition>`; category null is `any`. */
export interface EventQuery {
  category: string | null;
  condition: Expr;
  pos: Pos;
}

export interface SequenceStage {
  query: EventQuery;
  /** Stage-level join keys (`[...] by f`), after the sequence-level ones. */
  by: Expr[];
}

export interface SequenceQuery {
  kind: 'sequence';
  /** Sequence-level join keys (`sequence by f1, f2`). */
  by: Expr[];
  /** `with maxspan=...` in milliseconds, and as written. */
  maxspanMs?: number;
  maxspanText?: string;
  stages: SequenceStage[];
  until?: SequenceStage;
  pos: Pos;
}

export type EqlQuery = ({ kind: 'event' } & EventQuery) | SequenceQuery;
