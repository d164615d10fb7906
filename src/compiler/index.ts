// The front end in one call: rules -> binary rule program.
import type { Rule } from '../rules/types.js';
import { loadFieldTable, type FieldTable } from '../fields/table.js';
import { compileRules } from './compile.js';
import { serializeProgram } from './serialize.js';
import type { BuildOptions, ProgramIR } from './ir.js';

export interface CompiledProgram {
  ir: ProgramIR;
  bytes: Uint8Array;
}

export function compileProgram(rules: Rule[], options: Partial<BuildOptions> = {}, fields: FieldTable = loadFieldTable()): CompiledProgram {
  const ir = compileRules(rules, fields, options);
  return { ir, bytes: serializeProgram(ir) };
}

export { compileRules, CompileError } from './compile.js';
export { serializeProgram } from './serialize.js';
export type { ProgramIR, BuildOptions } from './ir.js';
