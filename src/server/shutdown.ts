// What the server does once it has stopped accepting batches and every in-flight batch is finished,
// just before it exits.
import type { FluentBitHost } from '../host/fluent-bit-host.js';
import type { ServerLog } from './log.js';

export interface ShutdownContext {
  /** The evaluator instance: its new-terms state is final at this point (no batch is running). */
  host: FluentBitHost;
  /** The module's state file (build option --state-file), if it has one. */
  stateFile?: string;
  /** Undelivered batches still waiting in the retry cache for their sender's retry. */
  awaitingRetry: { batches: number; taggedRecords: number };
  log: ServerLog;
}

export type ShutdownHook = (ctx: ShutdownContext) => void | Promise<void>;

/**
 * >>> HOOK: NEW-TERMS SNAPSHOT <<<
 * The new-terms snapshot is written here, after the last batch was evaluated, so the next start
 * restores the history instead of beginning empty (where every term is new). The module writes it
 * through WASI to its --state-file (see snapshots in docs); this asks it to do so now.
 */
export const onShutdown: ShutdownHook = (ctx) => {
  const { batches, taggedRecords } = ctx.awaitingRetry;
  if (batches > 0) {
    // The retry cache lives in memory: after a restart these batches are evaluated again against the
    // restored state, which already knows their new terms.
    ctx.log.warn(`${batches} undelivered batches (${taggedRecords} tagged records) were waiting for a retry; their new-terms alerts are not re-sent after a restart`);
  }
  if (!ctx.stateFile) {
    ctx.log.info('new-terms state not persisted (the rules were built without --state-file)');
    return;
  }
  if (ctx.host.snapshot()) ctx.log.info(`new-terms snapshot written to ${ctx.stateFile}`);
  else ctx.log.warn(`could not write the new-terms snapshot to ${ctx.stateFile} (see the module's message above)`);
};
