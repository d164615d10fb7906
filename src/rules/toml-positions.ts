// Where tables and keys sit in a TOML file. smol-toml gives values without positions, so this
// light scanner walks the text once more (after a successful parse, so it may assume valid TOML)
// to let messages point at the line of a field and KQL errors point into the query.

export interface TomlPosition {
  /** 1-based line of the key, or of the table header. */
  line: number;
  /**
   * 1-based line where the value's content starts. For a multi-line string whose opening quotes
   * are followed directly by a newline, TOML drops that newline, so the content starts one line
   * below the key; otherwise it is the key's line.
   */
  contentLine: number;
}

/**
 * Positions by dotted path, first occurrence only: `rule` (the `[rule]` header), `rule.query`,
 * `rule.threat` (the first `[[rule.threat]]`), `rule.new_terms.history_window_start.value`, ...
 * Array-of-tables paths carry no index.
 */
export function scanTomlPositions(text: string): Map<string, TomlPosition> {
  const positions = new Map<string, TomlPosition>();
  const record = (path: string, pos: TomlPosition): void => {
    if (!positions.has(path)) positions.set(path, pos);
  };
  let pos = 0;
  let line = 1;
  let table: string[] = [];
  const n = text.length;

  const skipToLineEnd = (): void => {
    while (pos < n && text[pos] !== '\n') pos++;
  };

  // Skips a string starting at pos, counting the newlines it spans.
  const skipString = (): void => {
    const quote = text[pos]!;
    const multi = text.startsWith(quote.repeat(3), pos);
    const escapes = quote === '"';
    if (multi) {
      pos += 3;
      while (pos < n) {
        const c = text[pos]!;
        if (escapes && c === '\\') {
          if (text[pos + 1] === '\n') line++;
          pos += 2;
          continue;
        }
        if (c === '\n') line++;
        if (text.startsWith(quote.repeat(3), pos)) {
          pos += 3;
          // Up to two more quotes right before the closing delimiter belong to the content.
          let extra = 0;
          while (extra < 2 && text[pos] === quote) {
            pos++;
            extra++;
          }
          return;
        }
        pos++;
      }
      return;
    }
    pos++;
    while (pos < n && text[pos] !== quote && text[pos] !== '\n') {
      if (escapes && text[pos] === '\\') pos++;
      pos++;
    }
    if (text[pos] === quote) pos++;
  };

  // Skips a value (scalar, string, array or inline table), stopping at the end of its line.
  const skipValue = (): void => {
    let depth = 0;
    while (pos < n) {
      const c = text[pos]!;
      if (c === '"' || c === "'") {
        skipString();
        continue;
      }
      if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') depth--;
      else if (c === '#') {
        if (depth <= 0) return;
        skipToLineEnd();
        continue;
      } else if (c === '\n') {
        if (depth <= 0) return;
        line++;
      }
      pos++;
    }
  };

  while (pos < n) {
    const c = text[pos]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      pos++;
    } else if (c === '\n') {
      line++;
      pos++;
    } else if (c === '#') {
      skipToLineEnd();
    } else if (c === '[') {
      const start = pos;
      skipHeader();
      const header = text.slice(start, pos).replace(/^\[\[?|\]\]?$/g, '');
      table = splitDottedKey(header);
      record(table.join('.'), { line, contentLine: line });
    } else {
      const keyStart = pos;
      while (pos < n && text[pos] !== '=' && text[pos] !== '\n') {
        if (text[pos] === '"' || text[pos] === "'") skipString();
        else pos++;
      }
      const key = splitDottedKey(text.slice(keyStart, pos));
      if (text[pos] !== '=') continue; // not a key line; nothing to record
      pos++;
      while (text[pos] === ' ' || text[pos] === '\t') pos++;
      const keyLine = line;
      let contentLine = line;
      const triple = text.startsWith("'''", pos) || text.startsWith('"""', pos);
      if (triple) {
        const after = pos + 3;
        if (text[after] === '\n' || (text[after] === '\r' && text[after + 1] === '\n')) contentLine = line + 1;
      }
      record([...table, ...key].join('.'), { line: keyLine, contentLine });
      skipValue();
    }
  }
  return positions;

  // A header ends at its closing bracket; quoted parts may contain brackets.
  function skipHeader(): void {
    while (pos < n && text[pos] !== '\n') {
      if (text[pos] === '"' || text[pos] === "'") {
        skipString();
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        if (text[pos] === ']') pos++;
        return;
      }
      pos++;
    }
  }
}

/** `a . "b.c" . d` -> ['a', 'b.c', 'd'] */
function splitDottedKey(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '.') {
      parts.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur.trim());
  return parts;
}
