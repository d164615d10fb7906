// Field-type tables: data files (fields/*.json) that say which Elasticsearch type a field has, so
// the evaluator knows whether `f:Foo*` is a case-sensitive glob (keyword), a per-token match
// (text), a CIDR check (ip) and so on. The table is data the user can extend or replace.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIELD_TYPES, type FieldTableFile, type FieldType } from './types.js';
import { globParts, matchGlob } from './glob.js';

/** Keyword values longer than this are not indexed (Fleet's keyword mappings). */
export const DEFAULT_IGNORE_ABOVE = 1024;

/** The default table file shipped with the project (repo root `fields/`). */
export const DEFAULT_FIELD_TABLE_FILE = fileURLToPath(new URL('../../fields/kubernetes-audit.json', import.meta.url));

/** The alternative table where user.groups, sourceIPs and containers.image are text. */
export const TEXT_FIELD_TABLE_FILE = fileURLToPath(new URL('../../fields/kubernetes-audit-text.json', import.meta.url));

/** Unknown fields are keyword (exact, case-sensitive). */
const UNKNOWN_FIELD_TYPE: FieldType = 'keyword';

interface GlobEntry {
  pattern: string;
  parts: string[];
  type: FieldType;
}

export class FieldTable {
  private readonly exact: Map<string, FieldType>;
  private readonly globs: GlobEntry[];

  constructor(
    exact: Iterable<[string, FieldType]>,
    globs: Iterable<[string, FieldType]>,
    readonly ignoreAbove: number = DEFAULT_IGNORE_ABOVE,
    readonly description = '',
  ) {
    this.exact = new Map(exact);
    this.globs = [...globs].map(([pattern, type]) => ({ pattern, parts: globParts(pattern), type }));
  }

  /** Exact name first, then the globs in order; anything else is keyword. */
  typeOf(fieldPath: string): FieldType {
    return this.lookup(fieldPath) ?? UNKNOWN_FIELD_TYPE;
  }

  /** The table's type for a field, or undefined when neither a name nor a glob covers it. */
  lookup(fieldPath: string): FieldType | undefined {
    const exact = this.exact.get(fieldPath);
    if (exact !== undefined) return exact;
    for (const glob of this.globs) if (matchGlob(glob.parts, fieldPath)) return glob.type;
    return undefined;
  }

  /** Whether the table names the field (exactly or through a glob). */
  covers(fieldPath: string): boolean {
    return this.lookup(fieldPath) !== undefined;
  }

  /** The exact field names, in table order. */
  knownFields(): string[] {
    return [...this.exact.keys()];
  }

  /** The glob patterns, in lookup order. */
  globPatterns(): string[] {
    return this.globs.map((g) => g.pattern);
  }

  /** The type a glob pattern of this table gives. */
  globType(pattern: string): FieldType | undefined {
    return this.globs.find((g) => g.pattern === pattern)?.type;
  }

  /**
   * The known field nearest to `name` by edit distance (for "unknown field, did you mean" warnings):
   * the first exact name at the smallest distance, if that distance is at most
   * max(1, min(3, floor(name.length / 4))). A known name returns itself.
   */
  closestKnown(name: string): string | undefined {
    const limit = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (const candidate of this.exact.keys()) {
      if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
      const d = editDistance(name, candidate, bestDistance);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
        if (d === 0) break;
      }
    }
    return best;
  }

  /** The resolved table (no `extends`) in the file format: exact names first, then globs in order. */
  toData(): Required<Omit<FieldTableFile, 'extends'>> {
    const fields: Record<string, FieldType> = {};
    for (const [name, type] of this.exact) fields[name] = type;
    for (const glob of this.globs) fields[glob.pattern] = glob.type;
    return { description: this.description, ignore_above: this.ignoreAbove, fields };
  }

  /** JSON text of the resolved table, for embedding in the compiled module or a report. */
  serialize(): string {
    return JSON.stringify(this.toData());
  }
}

/** Levenshtein distance, giving up (returning `cap`) once every path exceeds `cap`. */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= cap) return cap;
    previous = current;
  }
  return previous[b.length];
}

function isGlob(name: string): boolean {
  return name.includes('*');
}

function validate(data: unknown, where: string): FieldTableFile {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${where}: a field table is a JSON object`);
  const file = data as Record<string, unknown>;
  const fields = file.fields;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error(`${where}: "fields" must be an object of name -> type`);
  for (const [name, type] of Object.entries(fields)) {
    if (!FIELD_TYPES.includes(type as FieldType)) throw new Error(`${where}: field "${name}" has unknown type ${JSON.stringify(type)} (known: ${FIELD_TYPES.join(', ')})`);
  }
  if (file.ignore_above !== undefined && !(Number.isInteger(file.ignore_above) && (file.ignore_above as number) >= 0)) {
    throw new Error(`${where}: "ignore_above" must be a non-negative integer`);
  }
  if (file.extends !== undefined && typeof file.extends !== 'string') throw new Error(`${where}: "extends" must be a file name`);
  if (file.description !== undefined && typeof file.description !== 'string') throw new Error(`${where}: "description" must be a string`);
  return file as unknown as FieldTableFile;
}

/**
 * Build a table from file data. `extends` is resolved with `readBase` (given the name as written).
 * The extending table wins: its exact names replace the base's, its globs are tried before the
 * base's, and its ignore_above (when given) replaces the base's.
 */
export function fieldTableFromData(
  data: unknown,
  readBase: (name: string) => FieldTable = () => {
    throw new Error('this table "extends" another one but no way to read it was given');
  },
  where = 'field table',
): FieldTable {
  const file = validate(data, where);
  const base = file.extends !== undefined ? readBase(file.extends) : undefined;
  const exact = new Map<string, FieldType>(base ? base.knownFields().map((n) => [n, base.typeOf(n)]) : []);
  const ownGlobs: [string, FieldType][] = [];
  for (const [name, type] of Object.entries(file.fields)) {
    if (isGlob(name)) ownGlobs.push([name, type]);
    else exact.set(name, type);
  }
  const ownPatterns = new Set(ownGlobs.map(([p]) => p));
  const baseGlobs: [string, FieldType][] = base
    ? base.globPatterns().filter((p) => !ownPatterns.has(p)).map((p) => [p, base.globType(p) as FieldType])
    : [];
  return new FieldTable(
    exact,
    [...ownGlobs, ...baseGlobs],
    file.ignore_above ?? base?.ignoreAbove ?? DEFAULT_IGNORE_ABOVE,
    file.description ?? base?.description ?? '',
  );
}

/** Load a table file (default: fields/kubernetes-audit.json), following `extends` relative to it. */
export function loadFieldTable(file: string = DEFAULT_FIELD_TABLE_FILE, seen: string[] = []): FieldTable {
  const resolved = path.resolve(file);
  if (seen.includes(resolved)) throw new Error(`${file}: "extends" cycle (${[...seen, resolved].join(' -> ')})`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(resolved, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read field table: ${(err as Error).message}`);
  }
  return fieldTableFromData(data, (name) => loadFieldTable(path.resolve(path.dirname(resolved), name), [...seen, resolved]), file);
}

/** Parse a serialized (resolved) table, e.g. the output of `serialize()`. */
export function fieldTableFromJson(text: string): FieldTable {
  return fieldTableFromData(JSON.parse(text), undefined, 'serialized field table');
}
