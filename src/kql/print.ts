// Canonical KQL text for an AST: every group parenthesised, every value quoted or escaped so that
// parseKql(printKql(ast)) gives the same AST back (positions aside). Used by `inspect` output and
// by round-trip property tests.
//
// Unquoted literals are escaped conservatively: besides the special characters, any spot where the
// parser's keyword lookahead could fire (` or `, ` and `, `not ` - with the end of the literal
// counted as whitespace, since a keyword of ours may follow) gets an escape.
//
// A few ASTs have no text at all, because the parser cannot produce them: `all` below the top,
// empty and/or, unquoted strings "null"/"true"/"false" (those words always become literals) and
// unquoted values with leading/trailing whitespace (unquoted text is trimmed). `all` and empty
// groups throw; the others print their closest (quoted or trimmed) form.

import type { FieldRef, Node, RangeOp, Value } from './ast.js';

export function printKql(node: Node): string {
  return node.kind === 'all' ? '' : printQuery(node);
}

const RANGE_SYMBOL: Record<RangeOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

function printQuery(node: Node): string {
  switch (node.kind) {
    case 'all':
      throw new Error('printKql: "match everything" can only be the whole query');
    case 'and':
    case 'or':
      if (node.children.length === 0) throw new Error(`printKql: empty "${node.kind}" has no KQL text`);
      return `(${node.children.map(printQuery).join(` ${node.kind} `)})`;
    case 'not':
      // `not` needs a SubQuery; a nested `not` is one because every group prints in parentheses.
      return `(not ${printQuery(node.child)})`;
    case 'is':
      return node.field ? `${printField(node.field)}:${printValue(node.value)}` : printValue(node.value);
    case 'range':
      return `${printField(node.field)} ${RANGE_SYMBOL[node.op]} ${printBound(node)}`;
    case 'nested':
      return `${printField(node.path)}:{${printQuery(node.query)}}`;
  }
}

function printField(field: FieldRef): string {
  if (field.pattern) return escapeUnquoted(field.pattern);
  // Unquoted, the word null would mean "no field", and outer whitespace would be trimmed.
  if (field.name === 'null' || field.name === '' || field.name !== field.name.trim()) return quoteString(field.name);
  return escapeUnquoted([field.name]);
}

function printValue(value: Value): string {
  switch (value.type) {
    case 'string':
      return value.quoted ? quoteString(value.value) : printUnquotedString(value.value);
    case 'wildcard':
      return escapeUnquoted(value.parts);
    case 'exists':
      return '*';
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
  }
}

function printBound(node: Extract<Node, { kind: 'range' }>): string {
  if (node.quoted) return quoteString(node.value);
  if (node.isNull) return 'null';
  // Unlike values, bounds keep true/false as text, so only "null" needs the quoted fallback.
  if (node.value === 'true' || node.value === 'false') return node.value;
  return printUnquotedString(node.value);
}

const RESERVED_WORDS = new Set(['null', 'true', 'false']);

function printUnquotedString(text: string): string {
  if (RESERVED_WORDS.has(text)) return quoteString(text);
  // An unquoted empty value exists (`f:\t` trims to ""); `\t` is its only spelling.
  if (text === '') return '\\t';
  return escapeUnquoted([text]);
}

const SPECIAL_CHARACTERS = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);
const NAMED_ESCAPES: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };

/**
 * Characters printed as \uXXXX: controls, whitespace other than a plain space (the parser trims
 * and splits on it), lone surrogates (so the output is well-formed text).
 */
function needsUnicodeEscape(unit: string, previous: string | null | undefined, next: string | null | undefined): boolean {
  const code = unit.charCodeAt(0);
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  if (code !== 0x20 && /\s/.test(unit)) return true;
  if (code >= 0xd800 && code <= 0xdbff) return !isLowSurrogate(next);
  if (code >= 0xdc00 && code <= 0xdfff) return !isHighSurrogate(previous);
  return false;
}

function isHighSurrogate(unit: string | null | undefined): boolean {
  const code = unit ? unit.charCodeAt(0) : -1;
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(unit: string | null | undefined): boolean {
  const code = unit ? unit.charCodeAt(0) : -1;
  return code >= 0xdc00 && code <= 0xdfff;
}

function unicodeEscape(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Unquoted literal text for `parts` joined by unescaped `*` wildcards. */
function escapeUnquoted(parts: string[]): string {
  // One token per UTF-16 code unit; null stands for a wildcard.
  const tokens: (string | null)[] = [];
  parts.forEach((part, k) => {
    if (k > 0) tokens.push(null);
    tokens.push(...part.split(''));
  });
  // A plain space (printed raw) or the end of the literal, where our own ` or `/` and ` may follow.
  const spaceOrEnd = (i: number) => i >= tokens.length || tokens[i] === ' ';
  const wordAt = (i: number, word: string) => [...word].every((letter, k) => tokens[i + k]?.toLowerCase() === letter);

  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const unit = tokens[i] as string | null;
    if (unit === null) {
      out += '*';
    } else if (SPECIAL_CHARACTERS.has(unit)) {
      out += `\\${unit}`;
    } else if (NAMED_ESCAPES[unit]) {
      out += NAMED_ESCAPES[unit];
    } else if (needsUnicodeEscape(unit, tokens[i - 1], tokens[i + 1])) {
      out += unicodeEscape(unit);
    } else if (wordAt(i, 'not') && spaceOrEnd(i + 3)) {
      // `\NOT` is the escaped word, but `\not` would read as LF + "ot": use \u006e there.
      out += unit === 'n' ? unicodeEscape(unit) : `\\${unit}`;
    } else if (unit === ' ' && (wordAt(i + 1, 'or') || wordAt(i + 1, 'and'))) {
      const length = wordAt(i + 1, 'or') ? 2 : 3;
      if (spaceOrEnd(i + 1 + length)) {
        out += ` \\${tokens.slice(i + 1, i + 1 + length).join('')}`;
        i += length;
      } else {
        out += unit;
      }
    } else {
      out += unit;
    }
  }
  return out;
}

/** A quoted string: only \\ \" \t \r \n \uXXXX are escapes inside quotes. */
function quoteString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (NAMED_ESCAPES[ch]) out += NAMED_ESCAPES[ch];
    else if (needsUnicodeEscape(ch, text[i - 1], text[i + 1])) out += unicodeEscape(ch);
    else out += ch;
  }
  return `${out}"`;
}
