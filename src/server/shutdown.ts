// What the server does once it has stopped accepting batches and every in-flight batch is finished,
// just before it exits.
import type { FluentBitHost } from '../host/fluent-bit-host.js';
import type { ServerLog } from './log.js';

export interface ShutdownContext {
  /** The evaluator instance: its new-terms state is final at this point (no batch is running). */
  host: FluentBitHost;
  /** Where state is kept (`--state-dir`), if given. */
  stateDir?: string;
  log: ServerLog;
}

export type ShutdownHook = (ctx: ShutdownContext) => void | Promise<void>;

/**
 * >>> HOOK: NEW-TERMS SNAPSHOT <<<
 * The new-terms snapshot is written here (snapshots are built in their own issue): read the state out
 * of `ctx.host` and write it under `ctx.stateDir`, so the next start restores it instead of beginning
 * with an empty history (where every term is new). Until then nothing is persisted, and the server
 * says so.
 */
export const onShutdown: ShutdownHook = (ctx) => {
  ctx.log.info(
    ctx.stateDir
      ? `new-terms snapshot not written: snapshots are not implemented yet (--state-dir ${ctx.stateDir} is unused)`
      : 'new-terms state not persisted (no --state-dir)',
  );
};
