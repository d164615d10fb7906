// Builds the generic evaluator once before the test workers start (they would otherwise race to build it).
import { ensureGenericFilter } from '../src/build/evaluator.js';

export default async function setup(): Promise<void> {
  await ensureGenericFilter();
}
