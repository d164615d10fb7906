// New Terms `history_window_start`: Elastic date math of the form `now-<N><unit>`.

const MS_PER_UNIT: Record<string, number> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
  // Calendar units have no fixed length; a streaming window needs one, so a month counts
  // as 30 days and a year as 365 days.
  M: 30 * 24 * 60 * 60 * 1000,
  y: 365 * 24 * 60 * 60 * 1000,
};

const WINDOW_PATTERN = /^now-([1-9][0-9]*)([smhdwMy])$/;

/**
 * Length of a history window in milliseconds: `now-7d` -> 604800000.
 * Accepts `now-<N><unit>` with N >= 1 and unit one of s m h d w M y
 * (M = 30 days, y = 365 days). Rounding (`now-7d/d`) and absolute dates are rejected.
 * Throws an Error saying what is accepted when `s` is not of that form.
 */
export function parseHistoryWindow(s: string): number {
  const m = WINDOW_PATTERN.exec(s);
  if (!m) {
    throw new Error(
      `history_window_start "${s}" is not a supported date-math duration: expected now-<N><unit> ` +
        `with unit one of s, m, h, d, w, M, y (e.g. now-7d)`,
    );
  }
  const ms = Number(m[1]) * MS_PER_UNIT[m[2]!]!;
  if (!Number.isSafeInteger(ms)) throw new Error(`history_window_start "${s}" is too long`);
  return ms;
}
