// The module's abort handler (built with `--use abort=...`), so that the module imports nothing from
// `env`: Fluent Bit cannot satisfy AssemblyScript's default `env.abort`. The evaluator is written not
// to reach it; if it ever is reached, it is counted and execution goes on.
export let abortCount: u32 = 0;

export function onAbort(message: usize, fileName: usize, line: u32, column: u32): void {
  abortCount++;
}
