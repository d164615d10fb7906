// GROK patterns as ES|QL reads them: `%{NAME}`, `%{NAME:column}` (a keyword column) between pieces
// of Oniguruma regex. The pattern matches ANYWHERE in the input (a search, not anchored), the
// leftmost match wins and its captures fill the columns; no match (or a null input) gives nulls.
// kql-edge knows the patterns below (Elasticsearch's definitions); a pattern using another, a typed
// capture (`:int`) or a regex construct outside the supported subset (java-regex.ts) is reported.
import { JavaRegexError, toJsRegexSource } from './java-regex.js';

/** Elasticsearch's grok definitions of the patterns kql-edge supports. */
export const GROK_PATTERNS: Record<string, string> = {
  DATA: '.*?',
  GREEDYDATA: '.*',
  NOTSPACE: '\\S+',
  SPACE: '\\s*',
  INT: '(?:[+-]?(?:[0-9]+))',
  USERNAME: '[a-zA-Z0-9._-]+',
  USER: '[a-zA-Z0-9._-]+',
};

export class GrokError extends Error {}

export interface GrokProgram {
  /** The whole pattern as one Oniguruma regex; captures as `(?<name>...)`. */
  regex: string;
  /** Output columns, in order of appearance (capture `c<i>` fills columns[i]). */
  columns: string[];
  /** The same regex in JavaScript syntax (for the reference), and its groups' names ('' = unnamed). */
  jsSource: string;
  jsGroups: string[];
}

/** Expands the %{...} references; throws GrokError for anything unsupported. */
export function compileGrok(pattern: string): GrokProgram {
  const columns: string[] = [];
  let regex = '';
  let i = 0;
  while (i < pattern.length) {
    if (pattern.startsWith('%{', i)) {
      const close = pattern.indexOf('}', i);
      if (close < 0) throw new GrokError('unterminated %{ in the GROK pattern');
      const [name, column, type, ...rest] = pattern.slice(i + 2, close).split(':');
      if (rest.length > 0 || type !== undefined) throw new GrokError(`the typed GROK capture %{${pattern.slice(i + 2, close)}} is not supported (keyword captures only)`);
      const body = GROK_PATTERNS[name];
      if (body === undefined) throw new GrokError(`the GROK pattern %{${name}} is not supported (supported: ${Object.keys(GROK_PATTERNS).join(', ')})`);
      if (column !== undefined) {
        if (column === '' || columns.includes(column)) throw new GrokError(`GROK capture name ${JSON.stringify(column)} is empty or repeated`);
        columns.push(column);
        regex += `(?<c${columns.length - 1}>${body})`;
      } else regex += `(?:${body})`;
      i = close + 1;
      continue;
    }
    regex += pattern[i++];
  }
  try {
    const js = toJsRegexSource(regex, 'oniguruma');
    return { regex, columns, jsSource: js.source, jsGroups: js.groups };
  } catch (e) {
    if (e instanceof JavaRegexError) throw new GrokError(`GROK pattern: ${e.reason}`);
    throw e;
  }
}
