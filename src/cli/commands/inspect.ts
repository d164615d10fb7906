// kql-edge inspect MODULE.wasm: what a built module contains.
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { readCustomSection, importsOf, CUSTOM_SECTION, type ModuleManifest } from '../../build/artifact.js';
import { UserError } from '../exit.js';
import { describeFileError } from '../files.js';
import type { CliIO } from '../io.js';

export function registerInspect(program: Command, io: CliIO): void {
  program
    .command('inspect')
    .description('show what a module built by kql-edge build contains')
    .argument('<module>', 'the .wasm file')
    .option('--json', 'print the manifest as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const bytes = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
        throw new UserError(`kql-edge: cannot read ${file}: ${describeFileError(err)}`, undefined, err);
      });
      const notOurs = `kql-edge: ${file} is not a module built by kql-edge build`;
      let manifest: ModuleManifest;
      let imports: string[];
      try {
        const section = readCustomSection(bytes, CUSTOM_SECTION);
        if (!section) throw new UserError(`${notOurs} (no ${CUSTOM_SECTION} section)`);
        manifest = JSON.parse(Buffer.from(section).toString('utf8')) as ModuleManifest;
        imports = importsOf(bytes).map((i) => `${i.module}.${i.name}`);
      } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`${notOurs} (${(err as Error).message})`, undefined, err);
      }
      if (flags.json) {
        io.out(JSON.stringify(manifest, null, 2) + '\n');
        return;
      }
      const lines = [
        `${file}: ${bytes.length} bytes`,
        `ABI version ${manifest.abi_version}, program format version ${manifest.program_version}, program ${manifest.program_bytes} bytes`,
        `imports: ${imports.length ? imports.join(', ') : 'none'}`,
        `options: output mode ${manifest.options.output_mode}, new-terms budget ${manifest.options.new_terms_budget_bytes} bytes, ` +
          `learning period ${manifest.options.learning_ms} ms, description ${manifest.options.include_description ? 'on' : 'off'}` +
          (manifest.options.sequence_budget_bytes !== undefined ? `, sequence budget ${manifest.options.sequence_budget_bytes} bytes` : ''),
        `${manifest.rules.length} rules:`,
        ...manifest.rules.map(
          (r) =>
            `  ${r.rule_id}  ${r.type}  v${r.version}  ${r.name}` +
            (r.new_terms_fields ? `\n      new terms on ${r.new_terms_fields.join(', ')}, history ${r.history_window_start}` : '') +
            (r.sequence ? `\n      sequence of ${r.sequence.stages} stages${describeKeys(r.sequence.join_keys)}${r.sequence.maxspan ? `, maxspan ${r.sequence.maxspan}` : ''}` : ''),
        ),
      ];
      io.out(lines.join('\n') + '\n');
    });
}

/** `by user.name` when every stage joins on the same fields, else the keys per stage. */
function describeKeys(keys: string[][]): string {
  if (keys.every((k) => k.length === 0)) return ' (no join key)';
  const same = keys.every((k) => k.join() === keys[0]!.join());
  return same ? ` by ${keys[0]!.join(', ')}` : ` by ${keys.map((k) => `[${k.join(', ')}]`).join(' ')}`;
}
