// kql-edge fluent-bit-config --wasm PATH [--format classic|yaml]: ready filter sections, classic and/or YAML.
// The real-host tests (tests/real-host/) run exactly these sections inside a real Fluent Bit.
import { Option, type Command } from 'commander';
import type { CliIO } from '../io.js';
import { aotPathOf } from '../../build/aot.js';

export const MIN_FLUENT_BIT_VERSION = '4.2.0';

export type FluentBitConfigFormat = 'classic' | 'yaml' | 'both';

/** The tag alerts are re-emitted under by the printed rewrite_tag filter. */
export const ALERT_TAG = 'kql_edge.alerts';

/**
 * The rewrite_tag rule for alerts. It tests `event.kind`, a string the module sets to "alert" on every
 * tagged record: rewrite_tag's regex only matches strings, so `$kql_edge['alerts']` (an array) never would.
 */
export const ALERT_ROUTE_RULE = `$event['kind'] ^alert$ ${ALERT_TAG} true`;

const HEADER = `# kql-edge filter for Fluent Bit ${MIN_FLUENT_BIT_VERSION} or newer (4.1.0 made the WASM instance persistent,
# 4.2.0 fixed a per-call memory leak; older versions lose the new-terms state on every chunk).
# Event_Format must be json: msgpack mode is broken for filters that return records.
`;

function classic(wasm: string, match: string, paths: string): string {
  return `# --- classic configuration ---
[FILTER]
    Name              wasm
    Match             ${match}
    WASM_Path         ${wasm}
    Function_Name     filter
    Event_Format      json
    Wasm_Stack_Size   1M
    Accessible_Paths  ${paths}

# Optional: send tagged records (alerts) to a separate SIEM output as well, under the tag ${ALERT_TAG}
# (keep it outside the Match pattern above). The records stay in the main stream too.
[FILTER]
    Name          rewrite_tag
    Match         ${match}
    Rule          ${ALERT_ROUTE_RULE}
`;
}

function yaml(wasm: string, match: string, paths: string): string {
  return `# --- YAML configuration ---
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
      rule: "${ALERT_ROUTE_RULE}"
`;
}

export function fluentBitConfig(wasm: string, match: string, stateDir?: string, format: FluentBitConfigFormat = 'both'): string {
  const paths = stateDir ?? '.';
  const parts = [HEADER];
  if (format !== 'yaml') parts.push(classic(wasm, match, paths));
  if (format !== 'classic') parts.push(yaml(wasm, match, paths));
  return parts.join('\n');
}

export function registerFluentBitConfig(program: Command, io: CliIO): void {
  program
    .command('fluent-bit-config')
    .description(`print a Fluent Bit filter section for a built module (Fluent Bit ${MIN_FLUENT_BIT_VERSION} or newer)`)
    .requiredOption('--wasm <path>', 'the module built by kql-edge build')
    .option('--match <pattern>', 'the Match pattern of the audit-log input', 'kube.audit*')
    .option('--state-dir <dir>', 'directory the module may use (Accessible_Paths)')
    .option('--aot', 'point WASM_Path at the AOT file kql-edge build --aot wrote next to the module (NAME.aot)')
    .addOption(new Option('--format <format>', 'classic, yaml, or both').choices(['classic', 'yaml', 'both']).default('both'))
    .action((flags: { wasm: string; match: string; stateDir?: string; aot?: boolean; format: FluentBitConfigFormat }) => {
      io.out(fluentBitConfig(flags.aot ? aotPathOf(flags.wasm) : flags.wasm, flags.match, flags.stateDir, flags.format));
    });
}
