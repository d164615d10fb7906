// The single evaluator: one module instance (one new-terms state), batches evaluated one at a time in
// arrival order, as Fluent Bit's filter stage does. Batches wait in a FIFO; between two batches the
// event loop runs, so reading requests and forwarding earlier batches go on while batches are queued.
import type { FluentBitHost, ModuleStats } from '../host/fluent-bit-host.js';
import { encodeBatch, type DecodedBatch } from './framing.js';
import type { EvaluatedBatch } from './retry-cache.js';

/** Fluent Bit passes a tag with every call; the module ignores it, but the calling sequence is kept. */
export const RECORD_TAG = 'kube.audit';

interface Waiting {
  batch: DecodedBatch;
  timeMs: number;
  resolve: (result: EvaluatedBatch) => void;
}

export class BatchEvaluator {
  private readonly queue: Waiting[] = [];
  private running = false;
  /** Calls that threw in the host (the record was forwarded unchanged). */
  errors = 0;

  constructor(
    readonly host: FluentBitHost,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Batches waiting for the evaluator (not counting the one being evaluated). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Evaluates a batch after those before it. `timeMs` is when it was read (the records' host time). */
  evaluate(batch: DecodedBatch, timeMs: number): Promise<EvaluatedBatch> {
    return new Promise((resolve) => {
      this.queue.push({ batch, timeMs, resolve });
      if (!this.running) this.drain();
    });
  }

  stats(): ModuleStats | undefined {
    return this.host.stats();
  }

  private drain(): void {
    const next = this.queue.shift();
    if (!next) {
      this.running = false;
      return;
    }
    this.running = true;
    next.resolve(this.run(next.batch, next.timeMs));
    setImmediate(() => this.drain());
  }

  private run(batch: DecodedBatch, timeMs: number): EvaluatedBatch {
    const out: Buffer[] = [];
    let tagged = 0;
    let changed = false;
    for (const record of batch.records) {
      let output = record;
      try {
        const result = this.host.filter(record, timeMs, RECORD_TAG);
        if (result.verdict === 'dropped') {
          changed = true;
          continue;
        }
        if (result.verdict === 'tagged') {
          tagged++;
          changed = true;
          output = result.output;
        }
      } catch (err) {
        // Like the module itself: an internal problem never loses the record.
        this.errors++;
        this.onError(err);
      }
      out.push(output);
    }
    if (!changed) return { framing: batch.framing, received: batch.records.length, forwarded: out.length, tagged: 0, bytes: 0 };
    // One compact buffer in the batch's framing: it is the forwarded body, and what the retry cache
    // keeps (no slice of the request body stays referenced).
    const output = encodeBatch(batch.framing, out);
    return { framing: batch.framing, output, received: batch.records.length, forwarded: out.length, tagged, bytes: output.length };
  }
}
