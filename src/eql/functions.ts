// The EQL functions kql-edge knows (Elastic's EQL function reference), with their argument counts.
// `tilde`: the function has a case-insensitive `~` form.

export interface FunctionSpec {
  min: number;
  max: number;
  tilde: boolean;
}

export const EQL_FUNCTIONS: Record<string, FunctionSpec> = {
  add: { min: 2, max: 2, tilde: false },
  between: { min: 3, max: 4, tilde: true },
  cidrMatch: { min: 2, max: Infinity, tilde: false },
  concat: { min: 1, max: Infinity, tilde: false },
  divide: { min: 2, max: 2, tilde: false },
  endsWith: { min: 2, max: 2, tilde: true },
  indexOf: { min: 2, max: 3, tilde: true },
  length: { min: 1, max: 1, tilde: false },
  modulo: { min: 2, max: 2, tilde: false },
  multiply: { min: 2, max: 2, tilde: false },
  number: { min: 1, max: 2, tilde: false },
  startsWith: { min: 2, max: 2, tilde: true },
  string: { min: 1, max: 1, tilde: false },
  stringContains: { min: 2, max: 2, tilde: true },
  substring: { min: 2, max: 3, tilde: false },
  subtract: { min: 2, max: 2, tilde: false },
};
