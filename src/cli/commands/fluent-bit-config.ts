// kql-edge fluent-bit-config --wasm PATH: a ready [FILTER] section, classic and YAML.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { aotPathOf } from '../../build/aot.js';

export const MIN_FLUENT_BIT_VERSION = '4.2.0';

export function fluentBitConfig(wasm: string, match: string, stateDir?: string): string {
  const paths = stateDir ?? '.';
  return `# kql-edge filter for Fluent Bit ${MIN_FLUENT_BIT_VERSION} or newer (4.1.0 made the WASM instance persistent,
# 4.2.0 fixed a per-call memory leak; older versions lose the new-terms state on every chunk).
# Event_Format must be json: msgpack mode is broken for filters that return records.

# --- classic configuration ---
[FILTER]
    Name              wasm
    Match             ${match}
    WASM_Path         ${wasm}
    Function_Name     filter
    Event_Format      json
    Wasm_Stack_Size   1M
    Accessible_Paths  ${paths}

# Optional: send tagged records (alerts) to a separate SIEM output as well.
[FILTER]
    Name          rewrite_tag
    Match         ${match}
    Rule          $kql_edge['alerts'] ^.+$ kql_edge.alerts true

# --- YAML configuration ---
pipeline:
  filters:
    - name: wasm
      match: '${match}'
      wasm_path: ${wasm}
      function_name: filter
      event_format: json
      wasm_stack_size: 1M
      accessible_paths: ${paths}
    - name: rewrite_tag
      match: '${match}'
      rule: "$kql_edge['alerts'] ^.+$ kql_edge.alerts true"
`;
}

export function registerFluentBitConfig(program: Command, io: CliIO): void {
  program
    .command('fluent-bit-config')
    .description(`print a Fluent Bit filter section for a built module (Fluent Bit ${MIN_FLUENT_BIT_VERSION} or newer)`)
    .requiredOption('--wasm <path>', 'the module built by kql-edge build')
    .option('--match <pattern>', 'the Match pattern of the audit-log input', 'kube.audit*')
    .option('--state-dir <dir>', 'directory the module may use (Accessible_Paths)')
    .option('--aot', 'point WASM_Path at the AOT file kql-edge build --aot wrote next to the module (NAME.aot)')
    .action((flags: { wasm: string; match: string; stateDir?: string; aot?: boolean }) => {
      io.out(fluentBitConfig(flags.aot ? aotPathOf(flags.wasm) : flags.wasm, flags.match, flags.stateDir));
    });
}
