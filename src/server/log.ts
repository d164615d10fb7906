// Log lines of the server: `kql-edge serve: <level> <message>`. Messages that can repeat at the batch
// rate (a downstream outage) are limited to one per key and interval, with the count of those left out.

export type LogSink = (line: string) => void;

export class ServerLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: LogSink,
    private readonly intervalMs = 5000,
  ) {}

  info(message: string): void {
    this.sink(`kql-edge serve: info ${message}`);
  }

  warn(message: string): void {
    this.sink(`kql-edge serve: warn ${message}`);
  }

  /** A warning written at most once per `key` and interval. */
  warnLimited(key: string, message: string): void {
    const now = Date.now();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const more = seen && seen.suppressed > 0 ? ` (${seen.suppressed} similar messages suppressed)` : '';
    this.last.set(key, { at: now, suppressed: 0 });
    this.warn(message + more);
  }
}
