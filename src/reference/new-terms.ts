// Brute-force reference of New Terms in a stream (new-terms.md, "Streaming equivalent"):
// an event that matches the query and yields term x alerts for x iff no earlier-arrived event with
// the same term has an event time >= its own window start (t - window). Quadratic on purpose:
// it is the definition, against which the bounded-memory implementation is checked.

import { valuesAt } from './document.js';
import type { JsonLeaf } from './json.js';
import { keywordTerm } from './values/keyword.js';
import { parseDateMath } from './values/date.js';

export const NEW_TERMS_MAX_TERM_LENGTH = 1024;

export interface NewTermsEvent {
  /** Event time in ms (event-time.ts). */
  time: number;
  /** Per new_terms field, in the rule's order: the values found at that field. */
  values: JsonLeaf[][];
}

/** The values of the rule's new_terms fields in a document (the ECS view). */
export function newTermsValues(doc: unknown, fields: readonly string[]): JsonLeaf[][] {
  return fields.map((f) => valuesAt(doc, f));
}

/**
 * The term combinations of one event: per field, its distinct keyword terms in document order
 * (strings, numbers as JSON text, booleans as "true"/"false"; null and values longer than
 * `maxLength` are not terms); the cartesian product in field order, the first field varying
 * slowest. No combination at all when any field has no term.
 */
export function termCombinations(values: JsonLeaf[][], maxLength = NEW_TERMS_MAX_TERM_LENGTH): string[][] {
  let combos: string[][] = [[]];
  for (const fieldValues of values) {
    const terms: string[] = [];
    for (const v of fieldValues) {
      const term = keywordTerm(v, maxLength);
      if (term !== undefined && !terms.includes(term)) terms.push(term);
    }
    if (terms.length === 0) return [];
    combos = combos.flatMap((prefix) => terms.map((t) => [...prefix, t]));
  }
  return values.length === 0 ? [] : combos;
}

/** A stable identity for a combination (tuple equality). */
export function termKey(combination: readonly string[]): string {
  return JSON.stringify(combination);
}

/**
 * Start of the history window for an event at time t: `history` is either a window length in ms
 * (start = t - history) or date math such as "now-7d" evaluated with now = t.
 */
export function windowStart(history: number | string, t: number): number {
  if (typeof history === 'number') return t - history;
  const start = parseDateMath(history, t, false);
  if (start === undefined) throw new Error(`invalid history window start: ${history}`);
  return start;
}

/** For each event (in arrival order), the combinations it alerts for, in termCombinations order. */
export function newTermsBruteForce(events: readonly NewTermsEvent[], history: number | string, maxLength = NEW_TERMS_MAX_TERM_LENGTH): string[][][] {
  const keysOf = events.map((e) => new Set(termCombinations(e.values, maxLength).map(termKey)));
  return events.map((event, i) => {
    const start = windowStart(history, event.time);
    return termCombinations(event.values, maxLength).filter((combo) => {
      const key = termKey(combo);
      for (let j = 0; j < i; j++) if (events[j].time >= start && keysOf[j].has(key)) return false;
      return true;
    });
  });
}
