// Anchored globs whose only wildcard is `*` (any sequence, also empty, also dots and slashes).
// Used for field-name patterns (table globs, `kubernetes.audit.annotations.*:x`) and for keyword
// wildcard values: both are "the literal parts between the stars".

/** Split a glob text at every `*` (no escaping: tables and field names have no literal `*`). */
export function globParts(pattern: string): string[] {
  return pattern.split('*');
}

/**
 * Does `text` match the glob made of `parts` (the literal pieces between the stars)?
 * One part = no star = equality. Leftmost-first matching of the middle parts is exact for `*`-only
 * globs: any match can be shifted left without losing the rest.
 */
export function matchGlob(parts: readonly string[], text: string): boolean {
  if (parts.length === 1) return text === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!text.startsWith(first)) return false;
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = text.indexOf(parts[i], pos);
    if (at < 0) return false;
    pos = at + parts[i].length;
  }
  return text.length - pos >= last.length && text.endsWith(last);
}
