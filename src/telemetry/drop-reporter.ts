/**
 * Says, through `diag.warn`, that records were dropped: how many and why. Throttled so a
 * sustained outage cannot flood the app's own logs: the first drop is reported at once,
 * later ones are summed and reported at most once per interval.
 *
 * Metrics count drops too, but they may travel over the same broken pipe; a warning in the
 * process's own diagnostics does not.
 */
import { diag, type DiagLogger } from '@opentelemetry/api';

/** Why records were dropped; also the `error.type` attribute value of the drop metrics. */
export type DropReason = 'queue_full' | 'shutdown' | 'timeout' | 'export_failed';

const REASON_TEXT: Record<DropReason, string> = {
  queue_full: 'queue full (raise maxQueueSize / OTEL_BLRP_MAX_QUEUE_SIZE, or the receiver is too slow)',
  shutdown: 'emitted after shutdown',
  timeout: 'export timed out (exportTimeoutMillis / OTEL_BLRP_EXPORT_TIMEOUT)',
  export_failed: 'export failed',
};

export const DEFAULT_DROP_REPORT_INTERVAL_MILLIS = 10_000;

export class DropReporter {
  private readonly _log: DiagLogger;
  private readonly _intervalMillis: number;
  private _pending = new Map<DropReason, { count: number; detail?: string }>();
  private _lastReport = -Infinity;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _total = 0;

  constructor(namespace: string, intervalMillis = DEFAULT_DROP_REPORT_INTERVAL_MILLIS) {
    this._log = diag.createComponentLogger({ namespace });
    this._intervalMillis = intervalMillis;
  }

  /** Records processed-but-lost since this reporter started (all reasons). */
  get totalDropped(): number {
    return this._total;
  }

  /** Notes `count` dropped records; `detail` (e.g. the error message) is kept for the report. */
  drop(count: number, reason: DropReason, detail?: string): void {
    if (count <= 0) return;
    this._total += count;
    const entry = this._pending.get(reason) ?? { count: 0 };
    entry.count += count;
    if (detail !== undefined) entry.detail = detail;
    this._pending.set(reason, entry);
    const now = Date.now();
    if (now - this._lastReport >= this._intervalMillis) this.report();
    else if (this._timer === undefined) {
      this._timer = setTimeout(() => this.report(), this._intervalMillis - (now - this._lastReport));
      this._timer.unref?.();
    }
  }

  /** Writes the pending summary now (also called at shutdown so nothing goes unreported). */
  report(): void {
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    if (this._pending.size === 0) return;
    const parts: string[] = [];
    let sum = 0;
    for (const [reason, { count, detail }] of this._pending) {
      sum += count;
      parts.push(`${count} ${REASON_TEXT[reason]}${detail ? `: ${detail}` : ''}`);
    }
    this._pending = new Map();
    this._lastReport = Date.now();
    this._log.warn(`dropped ${sum} log record${sum === 1 ? '' : 's'}: ${parts.join('; ')}`);
  }
}
