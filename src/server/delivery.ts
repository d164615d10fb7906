// The life of one batch, from its body to "delivered" or "retry later", with the guarantees the
// sender relies on:
// - delivered only when the downstream accepted it (the sender then gets 2xx);
// - a batch whose delivery failed keeps its evaluated output in the retry cache, so the sender's retry
//   forwards exactly what was computed the first time (its alerts included) without touching the
//   new-terms state again;
// - the same body arriving while it is still in flight joins the first attempt instead of being
//   evaluated twice;
// - a batch seen again after it was delivered is counted (a duplicate delivery: the sender never got
//   the answer) and goes through again, at least once being the contract.
import { createHash } from 'node:crypto';
import { decodeBatch } from './framing.js';
import type { BatchEvaluator } from './evaluator.js';
import type { Forwarder } from './forwarder.js';
import { HashMemory, RetryCache, type EvaluatedBatch } from './retry-cache.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerLog } from './log.js';

export type DeliveryOutcome =
  | { delivered: true; batch: EvaluatedBatch; replayed: boolean }
  | { delivered: false; batch: EvaluatedBatch; detail: string };

export interface DeliveryLimits {
  retryCacheEntries: number;
  retryCacheBytes: number;
  /** How many delivered / evicted batch hashes are remembered to recognise them when they come again. */
  rememberedHashes: number;
}

export class Delivery {
  readonly cache: RetryCache;
  private readonly delivered: HashMemory;
  private readonly evicted: HashMemory;
  private readonly inFlight = new Map<string, Promise<DeliveryOutcome>>();

  constructor(
    private readonly evaluator: BatchEvaluator,
    private readonly forwarder: Forwarder,
    private readonly metrics: ServerMetrics,
    private readonly log: ServerLog,
    limits: DeliveryLimits,
    /** Called with the output bytes of each evaluated batch (they count against the memory budget). */
    private readonly holdBytes: (bytes: number) => () => void = () => () => {},
  ) {
    this.cache = new RetryCache(limits.retryCacheEntries, limits.retryCacheBytes);
    this.delivered = new HashMemory(limits.rememberedHashes);
    this.evicted = new HashMemory(limits.rememberedHashes);
  }

  /**
   * Delivers one request body. `receivedAt` is the host time given to its records. Throws
   * FramingError for a body that is not a batch.
   */
  async deliver(body: Buffer, contentType: string | undefined, receivedAt: number): Promise<DeliveryOutcome> {
    const hash = createHash('sha256').update(body).digest('hex');
    const running = this.inFlight.get(hash);
    if (running) {
      this.metrics.duplicates.inc({ when: 'in_flight' });
      return running;
    }
    if (this.delivered.has(hash)) {
      this.metrics.duplicates.inc({ when: 'after_delivery' });
      this.log.warnLimited('duplicate', `batch ${hash.slice(0, 12)} received again after it was delivered (the sender missed the answer); forwarding it again`);
    }
    const attempt = this.attempt(hash, body, contentType, receivedAt);
    this.inFlight.set(hash, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(hash);
    }
  }

  private async attempt(hash: string, body: Buffer, contentType: string | undefined, receivedAt: number): Promise<DeliveryOutcome> {
    let batch = this.cache.get(hash);
    const replayed = batch !== undefined;
    if (batch) {
      this.metrics.cacheReplays.inc();
    } else {
      const decoded = decodeBatch(body, contentType);
      this.metrics.batchesReceived.inc();
      this.metrics.recordsReceived.inc(decoded.records.length);
      if (this.evicted.has(hash)) {
        this.evicted.delete(hash);
        this.metrics.retriesReevaluated.inc();
        this.log.warn(`batch ${hash.slice(0, 12)} is a retry whose stored output was evicted from the retry cache: evaluated again, its new-terms alerts may be lost`);
      }
      batch = await this.evaluator.evaluate(decoded, receivedAt);
    }
    const release = this.holdBytes(batch.bytes);
    try {
      const result = batch.forwarded === 0 ? ({ ok: true } as const) : await this.forwarder.send(batch, body);
      if (result.ok) {
        this.cache.delete(hash);
        this.delivered.add(hash);
        this.metrics.batchesDelivered.inc();
        this.metrics.recordsForwarded.inc(batch.forwarded);
        return { delivered: true, batch, replayed };
      }
      this.metrics.countDownstreamError(result.reason);
      this.log.warnLimited('downstream', `delivery to ${this.forwarder.description} failed (${result.detail}); the sender is asked to retry`);
      this.keepForRetry(hash, batch);
      return { delivered: false, batch, detail: result.detail };
    } finally {
      release();
    }
  }

  /** Batches whose output waits in the retry cache, and their tagged records. */
  awaitingRetry(): { batches: number; taggedRecords: number } {
    return { batches: this.cache.size, taggedRecords: this.cache.taggedRecords() };
  }

  private keepForRetry(hash: string, batch: EvaluatedBatch): void {
    for (const gone of this.cache.put(hash, batch)) {
      this.evicted.add(gone.hash);
      this.metrics.cacheEvictions.inc();
      this.metrics.cacheEvictedTagged.inc(gone.batch.tagged);
      if (gone.batch.tagged > 0) {
        this.log.warn(
          `retry cache full: dropped the stored output of undelivered batch ${gone.hash.slice(0, 12)} with ${gone.batch.tagged} tagged records; ` +
            'if it is retried it is evaluated again and its new-terms alerts may be lost (raise --retry-cache-entries / --retry-cache-bytes)',
        );
      }
    }
  }
}
