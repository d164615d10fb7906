// The standard analyzer, approximated: a word segmenter following the core rules of Unicode UAX#29
// (what Lucene's StandardTokenizer implements), then per-code-point lower-casing, then splitting
// tokens longer than 255 UTF-16 units. The exact character classes and rules are listed in
// docs/semantics.md ("Text analysis"), with the known differences from Lucene.

const MAX_TOKEN_LENGTH = 255;

type WordClass =
  | 'ALetter'
  | 'Hebrew'
  | 'Numeric'
  | 'Katakana'
  | 'Ideographic' // Han and Hiragana: every character is a token of its own
  | 'Emoji' // Emoji_Presentation: every character is a token of its own
  | 'MidLetter'
  | 'MidNum'
  | 'MidNumLet'
  | 'SingleQuote'
  | 'ExtendNumLet'
  | 'Extend'
  | 'Other';

const MID_LETTER = new Set([0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const MID_NUM = new Set([0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b]);
const MID_NUM_LET = new Set([0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const KATAKANA_EXTRA = new Set([0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309b, 0x309c, 0x30a0, 0x30fc, 0xff70]);

const RE_EXTEND = /[\p{M}\p{Cf}\p{Emoji_Modifier}]/u;
const RE_EMOJI = /\p{Emoji_Presentation}/u;
const RE_IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}]/u;
const RE_KATAKANA = /\p{Script=Katakana}/u;
const RE_HEBREW_LETTER = /(?=\p{Script=Hebrew})\p{L}/u;
const RE_LETTER = /[\p{L}\p{Nl}]/u;
const RE_DIGIT = /\p{Nd}/u;
const RE_CONNECTOR = /\p{Pc}/u;

export function wordClass(cp: number): WordClass {
  if (cp < 0x80) {
    // ASCII fast path (same answers as the general rules below).
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return 'ALetter';
    if (cp >= 0x30 && cp <= 0x39) return 'Numeric';
    if (cp === 0x5f) return 'ExtendNumLet';
    if (cp === 0x27) return 'SingleQuote';
    if (cp === 0x2e) return 'MidNumLet';
    if (cp === 0x3a) return 'MidLetter';
    if (cp === 0x2c || cp === 0x3b) return 'MidNum';
    return 'Other';
  }
  const ch = String.fromCodePoint(cp);
  if (cp === 0x200b) return 'Other'; // ZERO WIDTH SPACE is Cf but not a Format character for UAX#29
  if (MID_LETTER.has(cp)) return 'MidLetter';
  if (MID_NUM.has(cp)) return 'MidNum';
  if (MID_NUM_LET.has(cp)) return 'MidNumLet';
  if (cp === 0x202f || RE_CONNECTOR.test(ch)) return 'ExtendNumLet';
  if (RE_EXTEND.test(ch)) return 'Extend';
  if (RE_EMOJI.test(ch)) return 'Emoji';
  if (RE_IDEOGRAPHIC.test(ch)) return 'Ideographic';
  if (KATAKANA_EXTRA.has(cp) || RE_KATAKANA.test(ch)) return 'Katakana';
  if (RE_HEBREW_LETTER.test(ch)) return 'Hebrew';
  if (RE_LETTER.test(ch)) return 'ALetter';
  if (RE_DIGIT.test(ch)) return 'Numeric';
  return 'Other';
}

interface Unit {
  text: string;
  cls: WordClass;
}

const isAHLetter = (c: WordClass | undefined) => c === 'ALetter' || c === 'Hebrew';
const isMidNumLetQ = (c: WordClass | undefined) => c === 'MidNumLet' || c === 'SingleQuote';
const TOKEN_CLASSES = new Set<WordClass>(['ALetter', 'Hebrew', 'Numeric', 'Katakana', 'Ideographic', 'Emoji']);

/** Characters grouped per WB4: Extend/Format characters stick to the character before them. */
function units(text: string): Unit[] {
  const out: Unit[] = [];
  for (const ch of text) {
    const cls = wordClass(ch.codePointAt(0) as number);
    const previous = out[out.length - 1];
    if (cls === 'Extend' && previous !== undefined && previous.text !== '\r' && previous.text !== '\n') {
      previous.text += ch;
    } else {
      out.push({ text: ch, cls: cls === 'Extend' ? 'Other' : cls });
    }
  }
  return out;
}

/** UAX#29 WB5-WB13b: no word break between units i and i+1. */
function joins(u: Unit[], i: number): boolean {
  const before = u[i - 1]?.cls;
  const a = u[i].cls;
  const b = u[i + 1].cls;
  const after = u[i + 2]?.cls;
  if (isAHLetter(a) && isAHLetter(b)) return true; // WB5
  if (isAHLetter(a) && (b === 'MidLetter' || isMidNumLetQ(b)) && isAHLetter(after)) return true; // WB6
  if (isAHLetter(before) && (a === 'MidLetter' || isMidNumLetQ(a)) && isAHLetter(b)) return true; // WB7
  if (a === 'Hebrew' && b === 'SingleQuote') return true; // WB7a
  if (a === 'Numeric' && b === 'Numeric') return true; // WB8
  if (isAHLetter(a) && b === 'Numeric') return true; // WB9
  if (a === 'Numeric' && isAHLetter(b)) return true; // WB10
  if (before === 'Numeric' && (a === 'MidNum' || isMidNumLetQ(a)) && b === 'Numeric') return true; // WB11
  if (a === 'Numeric' && (b === 'MidNum' || isMidNumLetQ(b)) && after === 'Numeric') return true; // WB12
  if (a === 'Katakana' && b === 'Katakana') return true; // WB13
  if ((isAHLetter(a) || a === 'Numeric' || a === 'Katakana' || a === 'ExtendNumLet') && b === 'ExtendNumLet') return true; // WB13a
  if (a === 'ExtendNumLet' && (isAHLetter(b) || b === 'Numeric' || b === 'Katakana')) return true; // WB13b
  return false;
}

/** Lower-case one code point at a time (Java's Character.toLowerCase, not String.toLowerCase). */
export function lowerCaseCodePoints(text: string): string {
  let out = '';
  for (const ch of text) {
    // Keep the first code point: only U+0130 lower-cases to two ("i" + U+0307); Java gives "i".
    out += String.fromCodePoint(ch.toLowerCase().codePointAt(0) as number);
  }
  return out;
}

/** Split a token longer than MAX_TOKEN_LENGTH UTF-16 units (never inside a surrogate pair). */
function splitLong(token: string, out: string[]): void {
  let start = 0;
  while (token.length - start > MAX_TOKEN_LENGTH) {
    let end = start + MAX_TOKEN_LENGTH;
    const c = token.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    out.push(token.slice(start, end));
    start = end;
  }
  out.push(token.slice(start));
}

/** The tokens the standard analyzer indexes for a string, in order. */
export function analyze(text: string): string[] {
  const u = units(text);
  const tokens: string[] = [];
  let start = 0;
  for (let i = 0; i < u.length; i++) {
    if (i + 1 < u.length && joins(u, i)) continue;
    const segment = u.slice(start, i + 1);
    if (segment.some((s) => TOKEN_CLASSES.has(s.cls))) splitLong(lowerCaseCodePoints(segment.map((s) => s.text).join('')), tokens);
    start = i + 1;
  }
  return tokens;
}
