// Elasticsearch field types as far as matching is concerned.
export type FieldType =
  | 'keyword'
  | 'constant_keyword'
  | 'text'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'double'
  | 'float'
  | 'half_float'
  | 'scaled_float'
  | 'unsigned_long'
  | 'boolean'
  | 'date'
  | 'ip'
  | 'nested'
  | 'object';

/** Every field type name, for validating field-table files. */
export const FIELD_TYPES: readonly FieldType[] = [
  'keyword', 'constant_keyword', 'text', 'long', 'integer', 'short', 'byte', 'double', 'float',
  'half_float', 'scaled_float', 'unsigned_long', 'boolean', 'date', 'ip', 'nested', 'object',
];

/** A field-type table file (`fields/*.json`): exact names and `*` globs mapped to types. */
export interface FieldTableFile {
  description?: string;
  /** Another table file (path relative to this one) whose entries this one extends and overrides. */
  extends?: string;
  /** Keyword values longer than this (UTF-16 code units) are not indexed. Default 1024. */
  ignore_above?: number;
  /** Field name or glob (`*` = any characters, dots included) -> type. Order matters for globs. */
  fields: Record<string, FieldType>;
}
