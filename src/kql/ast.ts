// The KQL abstract syntax tree: what the parser produces and every later stage consumes.
// Mirrors Kibana's node types (is, range, nested, and, or, not) so that each semantic
// statement of the KQL spec maps onto one node kind.

/**
 * Where a piece of query text starts (1-based line and column, 0-based offset).
 * `is` and `range` nodes are placed at their value, `nested` nodes at their path.
 */
export interface Pos {
  offset: number;
  line: number;
  column: number;
}

/** A field name as written. `pattern` is set when it holds an unescaped `*` (applies to every matching field). */
export interface FieldRef {
  /** The decoded name; for a pattern, the parts between the unescaped `*` joined by `*`. */
  name: string;
  /** For a wildcard field name: the literal parts between unescaped `*` (`a.*.b` -> ['a.', '.b']). */
  pattern: string[] | null;
  pos: Pos;
}

/** A value on the right of `:` (or a field-less value). */
export type Value =
  /** Plain text: an unquoted literal without unescaped `*`, or any quoted string. */
  | { type: 'string'; value: string; quoted: boolean }
  /** An unquoted literal with unescaped `*`: the literal parts between them (`a*b*` -> ['a','b','']). */
  | { type: 'wildcard'; parts: string[] }
  /** The unquoted value `*` alone: "the field exists". */
  | { type: 'exists' }
  /** The unquoted words `true` / `false` (exactly, lower case). */
  | { type: 'boolean'; value: boolean }
  /** The unquoted word `null`. */
  | { type: 'null' };

export type RangeOp = 'lt' | 'lte' | 'gt' | 'gte';

export type Node =
  /** The empty query: matches every document. */
  | { kind: 'all' }
  | { kind: 'and'; children: Node[] }
  | { kind: 'or'; children: Node[] }
  | { kind: 'not'; child: Node }
  /** `field:value`; field null = a field-less value (search all fields). */
  | { kind: 'is'; field: FieldRef | null; value: Value; pos: Pos }
  /**
   * `field < value` etc. The value is the literal's text (quoted or not; unescaped `*` kept as `*`).
   * `isNull` marks the unquoted word `null`: Kibana sends a JSON null bound, which Elasticsearch
   * reads as "no bound" (unlike the string "null").
   */
  | { kind: 'range'; field: FieldRef; op: RangeOp; value: string; quoted: boolean; isNull?: true; pos: Pos }
  /** `path:{ query }`: the inner query holds on one and the same element of `path`. Inner field names are relative to `path`. */
  | { kind: 'nested'; path: FieldRef; query: Node; pos: Pos };
