// The ES|QL abstract syntax tree: a source command followed by processing commands, each holding
// expressions. Names are flat column names as ES|QL prints them (`user.name`, `Esql.event_count`);
// a backtick-quoted part is taken verbatim (`kubernetes.audit.annotations.authorization_k8s_io/decision`).
import type { Pos } from '../kql/ast.js';
export type { Pos };

export type Literal =
  | { kind: 'literal'; type: 'keyword'; value: string; pos: Pos }
  | { kind: 'literal'; type: 'integer' | 'double'; value: number; text: string; pos: Pos }
  | { kind: 'literal'; type: 'boolean'; value: boolean; pos: Pos }
  | { kind: 'literal'; type: 'null'; value: null; pos: Pos };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  | Literal
  /** A time span literal (`1 minute`, `9 minutes`): its length in ms. */
  | { kind: 'span'; ms: number; text: string; calendar: boolean; pos: Pos }
  | { kind: 'field'; name: string; pos: Pos }
  /** A function call; `name` lower-cased; `star` for `COUNT(*)`. */
  | { kind: 'call'; name: string; args: Expr[]; star: boolean; pos: Pos }
  | { kind: 'and' | 'or'; left: Expr; right: Expr; pos: Pos }
  | { kind: 'not'; child: Expr; pos: Pos }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'arith'; op: ArithOp; left: Expr; right: Expr; pos: Pos }
  | { kind: 'neg'; child: Expr; pos: Pos }
  | { kind: 'in'; left: Expr; values: Expr[]; negated: boolean; pos: Pos }
  | { kind: 'like' | 'rlike'; left: Expr; pattern: string; patternPos: Pos; negated: boolean; pos: Pos }
  | { kind: 'isnull'; child: Expr; negated: boolean; pos: Pos };

export interface Assignment {
  /** The column written (for `EVAL expr` without a name, the expression's text). */
  name: string;
  expr: Expr;
  pos: Pos;
}

export type Command =
  | { kind: 'from'; indices: string[]; metadata: string[]; pos: Pos }
  | { kind: 'where'; condition: Expr; pos: Pos }
  | { kind: 'eval'; fields: Assignment[]; pos: Pos }
  | { kind: 'grok'; input: Expr; pattern: string; patternPos: Pos; pos: Pos }
  | { kind: 'stats'; aggs: Assignment[]; by: Assignment[]; pos: Pos }
  /** KEEP / DROP: column name patterns (`*` wildcards). */
  | { kind: 'keep' | 'drop'; patterns: string[]; pos: Pos }
  | { kind: 'limit'; count: number; pos: Pos };

export interface EsqlQuery {
  from: Extract<Command, { kind: 'from' }>;
  commands: Command[];
}
