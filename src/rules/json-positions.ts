// Positions inside a JSON text: where a syntax error is (JSON.parse does not always say), and
// where the rule objects and their keys start, so messages can name a line.

export interface JsonObjectPositions {
  /** Offset of the object's `{` (or of the element, when it is not an object). */
  start: number;
  /** Offset of each first-level key's opening quote (first occurrence). */
  keys: Map<string, number>;
}

export interface JsonScan {
  /** First syntax error, if any. */
  error?: { offset: number; message: string };
  /** The top-level object, or each element of a top-level array, in order. */
  objects: JsonObjectPositions[];
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function scanJson(text: string): JsonScan {
  const objects: JsonObjectPositions[] = [];
  let pos = 0;
  const n = text.length;

  const fail = (message: string): never => {
    throw new ScanError(pos, pos >= n ? 'unexpected end of JSON input' : message);
  };
  const ws = (): void => {
    while (pos < n && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n' || text[pos] === '\r')) pos++;
  };
  const expect = (ch: string, what: string): void => {
    if (text[pos] !== ch) fail(`expected ${what} but found ${describe(text[pos])}`);
    pos++;
  };

  const str = (): string => {
    expect('"', 'a string');
    const start = pos;
    while (pos < n && text[pos] !== '"') {
      const c = text.charCodeAt(pos);
      if (c < 0x20) fail('control character in string');
      if (text[pos] === '\\') {
        pos++;
        const e = text[pos];
        if (e === 'u') {
          pos++;
          for (let k = 0; k < 4; k++, pos++) if (!/[0-9a-fA-F]/.test(text[pos] ?? '')) fail('bad \\u escape in string');
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape in string');
      }
      pos++;
    }
    const raw = text.slice(start, pos);
    expect('"', 'the end of the string');
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };

  // Character by character, so a bad number fails where JSON.parse says it does.
  const digits = (): void => {
    if (!isDigit(text[pos])) fail(`unexpected ${describe(text[pos])}`);
    while (isDigit(text[pos])) pos++;
  };
  const num = (): void => {
    if (text[pos] === '-') pos++;
    if (text[pos] === '0') pos++;
    else digits();
    if (text[pos] === '.') {
      pos++;
      digits();
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      digits();
    }
  };

  const value = (depth: number, top?: JsonObjectPositions[]): void => {
    ws();
    const c = text[pos];
    if (c === '{') {
      const here: JsonObjectPositions = { start: pos, keys: new Map() };
      top?.push(here);
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        const keyAt = pos;
        if (text[pos] !== '"') fail(`expected a property name in double quotes but found ${describe(text[pos])}`);
        const key = str();
        if (!here.keys.has(key)) here.keys.set(key, keyAt);
        ws();
        expect(':', "':' after the property name");
        value(depth + 1);
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        expect('}', "',' or '}' after the property value");
        return;
      }
    }
    if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        const elementStart = pos;
        if (depth === 0 && text[pos] !== '{') objects.push({ start: elementStart, keys: new Map() });
        value(depth + 1, depth === 0 ? objects : undefined);
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        expect(']', "',' or ']' after the array element");
        return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined;
    if (word) {
      // Fail at the first wrong character, as JSON.parse does (`tru}` fails at `}`).
      for (const ch of word) {
        if (text[pos] !== ch) fail(`unexpected ${describe(text[pos])}`);
        pos++;
      }
      return;
    }
    num();
  };

  try {
    value(0, objects);
    ws();
    if (pos < n) fail(`unexpected ${describe(text[pos])} after the JSON value`);
  } catch (e) {
    if (e instanceof ScanError) return { error: { offset: e.offset, message: e.message }, objects };
    throw e;
  }
  return { objects };
}

/** 1-based line and column of a character offset. */
export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function describe(ch: string | undefined): string {
  return ch === undefined ? 'the end of the input' : JSON.stringify(ch);
}
