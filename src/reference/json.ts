// JSON documents as the reference evaluator sees them. `JSON.parse` output works everywhere, but
// it forgets how a number was written (`1.0` and `1` both become 1), and a keyword field indexes a
// number as its JSON text. `parseJson` below keeps that text in a JsonNumber; every reference
// module accepts both plain numbers and JsonNumbers. `stringifyJson` writes JsonNumbers verbatim.

/** A JSON number with the exact text it had in the source. */
export class JsonNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
  /** JSON.stringify writes the numeric value (the text is only kept by stringifyJson). */
  toJSON(): number {
    return this.value;
  }
}

/** A scalar JSON value: what document paths end in. */
export type JsonLeaf = string | number | boolean | null | JsonNumber;

export function isJsonNumber(v: unknown): v is JsonNumber {
  return v instanceof JsonNumber;
}

/** A plain JSON object (not an array, not null, not a JsonNumber). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

export function isJsonLeaf(v: unknown): v is JsonLeaf {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof JsonNumber;
}

/** The JSON text of a number leaf: the source text when known, else JavaScript's shortest form. */
export function numberText(v: number | JsonNumber): string {
  return typeof v === 'number' ? JSON.stringify(v) : v.text;
}

export function numberValue(v: number | JsonNumber): number {
  return typeof v === 'number' ? v : v.value;
}

/** Build a JsonNumber from its text (e.g. `jsonNumber('1.0')`), checking it is JSON number syntax. */
export function jsonNumber(text: string): JsonNumber {
  if (!/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(text)) throw new Error(`not a JSON number: ${text}`);
  return new JsonNumber(text);
}

/**
 * Parse JSON text like JSON.parse (same errors accepted/rejected, last duplicate key wins, object
 * key order as JSON.parse gives it), except that numbers become JsonNumbers keeping their text.
 */
export function parseJson(text: string): unknown {
  JSON.parse(text); // same acceptance as JSON.parse: invalid text throws its usual error
  return new JsonTextParser(text).parseDocument();
}

class JsonTextParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipSpace();
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('end of input');
    return value;
  }

  private fail(expected: string): never {
    throw new SyntaxError(`JSON: expected ${expected} at offset ${this.pos}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private parseValue(): unknown {
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject();
    if (c === '[') return this.parseArray();
    if (c === '"') return this.parseString();
    if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail('a value');
  }

  private parseObject(): Record<string, unknown> {
    this.pos++;
    const obj: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('a key');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('":"');
      this.pos++;
      this.skipSpace();
      // defineProperty: a "__proto__" key must be an own property, as JSON.parse makes it.
      Object.defineProperty(obj, key, { value: this.parseValue(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === '}') return obj;
      if (next !== ',') this.fail('"," or "}"');
    }
  }

  private parseArray(): unknown[] {
    this.pos++;
    const arr: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.skipSpace();
      arr.push(this.parseValue());
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === ']') return arr;
      if (next !== ',') this.fail('"," or "]"');
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('a closing quote');
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c === 0x5c) this.pos += 2;
      else this.pos++;
    }
    this.pos++;
    // The string's JSON text is valid or JSON.parse already rejected the whole document.
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private parseNumber(): JsonNumber {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = this.pos;
    const m = match.exec(this.text);
    if (!m) return this.fail('a number');
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }
}

/** JSON text of a value; JsonNumbers are written with their own text. */
export function stringifyJson(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stringifyJson(v))).join(',')}]`;
  if (isJsonObject(value)) {
    const members: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) members.push(`${JSON.stringify(k)}:${stringifyJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
