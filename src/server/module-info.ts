// Rule names for metric labels, from a built module's `kql-edge` custom section (written by
// `kql-edge build`). A module without one gives no names; the labels then carry the rule_id only.
import { CUSTOM_SECTION, type ModuleManifest } from '../build/artifact.js';

export function ruleNamesOfModule(module: WebAssembly.Module): Map<string, string> {
  const names = new Map<string, string>();
  for (const section of WebAssembly.Module.customSections(module, CUSTOM_SECTION)) {
    try {
      const manifest = JSON.parse(Buffer.from(section).toString('utf8')) as ModuleManifest;
      for (const r of manifest.rules ?? []) names.set(r.rule_id, r.name);
    } catch {
      // A damaged manifest only costs the names.
    }
  }
  return names;
}
