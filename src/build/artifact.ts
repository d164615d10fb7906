// Writing a self-contained module: the filter module with the program built in, its WASI command
// sibling (`NAME.wasi.wasm`), and a `kql-edge` custom section describing what is inside (for
// `kql-edge inspect`; engines ignore custom sections).
import { promises as fs } from 'node:fs';
import { buildModule } from './module.js';
import type { ProgramIR } from '../compiler/ir.js';
import { PROGRAM_VERSION, OutputMode } from '../compiler/format.js';
import { NATIVE_IMPORT_NAMES } from './natives.js';

export const ABI_VERSION = 2;
export const CUSTOM_SECTION = 'kql-edge';

export interface ModuleManifest {
  tool: string;
  abi_version: number;
  program_version: number;
  built_at?: string;
  options: { output_mode: string; new_terms_budget_bytes: number; learning_ms: number; include_description: boolean; kibana_fields?: boolean; sequence_budget_bytes?: number };
  rules: {
    rule_id: string;
    name: string;
    version: string;
    type: string;
    history_window_start?: string;
    new_terms_fields?: string[];
    /** EQL sequences: the stages' join keys and the maxspan as written. */
    sequence?: { stages: number; join_keys: string[][]; maxspan?: string };
  }[];
  program_bytes: number;
}

export function manifestOf(ir: ProgramIR, programBytes: number): ModuleManifest {
  return {
    tool: 'kql-edge',
    abi_version: ABI_VERSION,
    program_version: PROGRAM_VERSION,
    options: {
      output_mode: ir.options.outputMode === OutputMode.AlertsOnly ? 'alerts-only' : 'tag',
      new_terms_budget_bytes: ir.options.newTermsBudgetBytes,
      learning_ms: ir.options.learningMs,
      include_description: ir.options.includeDescription,
      kibana_fields: ir.options.kibanaFields,
      ...(ir.rules.some((r) => r.sequence) ? { sequence_budget_bytes: ir.options.sequenceBudgetBytes } : {}),
      ...(ir.rules.some((r) => r.esql?.stats) ? { window_budget_bytes: ir.options.windowBudgetBytes } : {}),
    },
    rules: ir.rules.map((r) => ({
      rule_id: r.ruleId,
      name: r.name,
      version: r.version,
      type: r.type,
      ...(r.newTerms ? { history_window_start: r.newTerms.historyWindowStart, new_terms_fields: r.newTerms.fields } : {}),
      ...(r.sequence
        ? { sequence: { stages: r.sequence.stages.length, join_keys: r.sequence.stages.map((s) => s.keys), ...(r.sequence.maxspanText ? { maxspan: r.sequence.maxspanText } : {}) } }
        : {}),
    })),
    program_bytes: programBytes,
  };
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Appends a custom section (id 0) to a module. */
export function withCustomSection(module: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = Buffer.from(name, 'utf8');
  const body = [...leb128(nameBytes.length), ...nameBytes, ...payload];
  return Buffer.concat([Buffer.from(module), Buffer.from([0, ...leb128(body.length)]), Buffer.from(body)]);
}

/** Reads a custom section's payload, or undefined. */
export function readCustomSection(module: Uint8Array, name: string): Uint8Array | undefined {
  const buf = Buffer.from(module);
  if (buf.length < 8 || buf.readUInt32LE(0) !== 0x6d736100) return undefined;
  let at = 8;
  const readLeb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[at++];
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return result >>> 0;
      shift += 7;
    }
  };
  while (at < buf.length) {
    const id = buf[at++];
    const size = readLeb();
    const end = at + size;
    if (id === 0) {
      const n = readLeb();
      const sectionName = buf.subarray(at, at + n).toString('utf8');
      if (sectionName === name) return buf.subarray(at + n, end);
    }
    at = end;
  }
  return undefined;
}

/** The module's imports (module/name) — used to check what comes from `env`. */
export function importsOf(module: Uint8Array): { module: string; name: string }[] {
  return WebAssembly.Module.imports(new WebAssembly.Module(module as Uint8Array<ArrayBuffer>));
}

export interface WrittenArtifact {
  filterPath: string;
  commandPath: string;
  filterBytes: number;
  commandBytes: number;
}

export function commandPathFor(filterPath: string): string {
  return filterPath.endsWith('.wasm') ? filterPath.slice(0, -5) + '.wasi.wasm' : filterPath + '.wasi.wasm';
}

export async function writeArtifacts(ir: ProgramIR, program: Uint8Array, outPath: string): Promise<WrittenArtifact> {
  const manifest = Buffer.from(JSON.stringify(manifestOf(ir, program.length)));
  const [filter, command] = await Promise.all([buildModule({ entry: 'filter', program }), buildModule({ entry: 'command', program })]);
  // The filter may import exactly the native search functions of ABI version 2; the command nothing from env.
  const allowed = new Set<string>(NATIVE_IMPORT_NAMES);
  const env = importsOf(filter).filter((i) => i.module === 'env' && !allowed.has(i.name));
  if (env.length > 0) throw new Error(`internal error: the filter module imports from env: ${env.map((i) => i.name).join(', ')}`);
  const commandEnv = importsOf(command).filter((i) => i.module !== 'wasi_snapshot_preview1');
  if (commandEnv.length > 0) throw new Error(`internal error: the WASI command imports ${commandEnv.map((i) => `${i.module}.${i.name}`).join(', ')}`);
  const filterOut = withCustomSection(filter, CUSTOM_SECTION, manifest);
  const commandOut = withCustomSection(command, CUSTOM_SECTION, manifest);
  const commandPath = commandPathFor(outPath);
  await fs.writeFile(outPath, filterOut);
  await fs.writeFile(commandPath, commandOut);
  return { filterPath: outPath, commandPath, filterBytes: filterOut.length, commandBytes: commandOut.length };
}
