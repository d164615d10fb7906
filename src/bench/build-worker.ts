// Compiles one module in a worker thread, so the benchmark's builds use every core.
import { parentPort, workerData } from 'node:worker_threads';
import { buildModule, type ModuleBuild } from '../build/module.js';

try {
  const bytes = await buildModule(workerData as ModuleBuild);
  parentPort!.postMessage({ bytes }, [bytes.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
