/**
 * The companion processor: queues records without blocking the app, drains them off the
 * emitting call stack in batches, and hands each batch to an exporter (by default a
 * {@link StatefulLogExporter} built from the same options). Modelled on the SDK's
 * BatchLogRecordProcessorBase, with two differences: every lost record is counted with a
 * reason and reported through a throttled `diag.warn`, and a full batch is drained on the
 * next macrotask (setImmediate) rather than inside `onEmit`.
 */
import { context, createContextKey, diag, type Context, type MeterProvider } from '@opentelemetry/api';
import type { LogRecordExporter, LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { readEnvConfiguration } from '../config/env-configuration';
import type { StatefulLogsOptions } from '../config/options';
import { resolveConfiguration } from '../config/resolve-configuration';
import { StatefulLogExporter, type StatefulLogExporterConfig } from '../exporter/stateful-log-exporter';
import { DropReporter, type DropReason } from '../telemetry/drop-reporter';
import { ProcessorMetrics } from './processor-metrics';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/processor' });

// Same key as @opentelemetry/core's suppressTracing (createContextKey uses Symbol.for), so
// instrumented gRPC/http calls made while exporting do not produce telemetry of their own.
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** Options of {@link StatefulLogRecordProcessor}. */
export interface StatefulLogRecordProcessorOptions extends StatefulLogsOptions, StatefulLogExporterConfig {
  /**
   * Where batches go. Default: a {@link StatefulLogExporter} built from these options
   * (so `new StatefulLogRecordProcessor()` works from the environment alone). Any
   * LogRecordExporter works.
   */
  exporter?: LogRecordExporter;
  /** Records the processor's (and the default exporter's) self-metrics. */
  meterProvider?: MeterProvider;
}

/**
 * The record type onEmit receives. Named ReadWriteLogRecord in sdk-logs 3.x and late 0.2xx,
 * SdkLogRecord before: derive it from the interface so every supported line type-checks.
 */
type EmittedRecord = Parameters<LogRecordProcessor['onEmit']>[0];

/** ExportResultCode of @opentelemetry/core (not imported: it pins one API line). */
const SUCCESS = 0;

/**
 * The companion processor of {@link StatefulLogExporter}: a bounded queue, batches drained
 * off the application's call stack, one export at a time, every lost record counted with
 * its reason (metric `otel.sdk.processor.log.processed{error.type}` and a throttled
 * `diag.warn`). Chains like any processor; `forceFlush`/`shutdown` reach the exporter.
 *
 * ```ts
 * new LoggerProvider({ processors: [new StatefulLogRecordProcessor()] });   // env-configured
 * ```
 */
export class StatefulLogRecordProcessor implements LogRecordProcessor {
  private readonly _exporter: LogRecordExporter;
  private readonly _maxQueueSize: number;
  private readonly _maxExportBatchSize: number;
  private readonly _scheduledDelayMillis: number;
  private readonly _exportTimeoutMillis: number;
  private readonly _metrics: ProcessorMetrics;
  private readonly _drops = new DropReporter('otel-stateful-logs/processor');

  private _queue: EmittedRecord[] = [];
  /** Exports run one after another on this chain (the stateful encoder needs order). */
  private _tail: Promise<void> = Promise.resolve();
  /** Exports scheduled on the chain and not finished yet. */
  private _pendingExports = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _immediate: ReturnType<typeof setImmediate> | undefined;
  private _shutdownPromise: Promise<void> | undefined;
  /** The export in progress, so shutdown can give up on it. */
  private _current: { finish(ok: boolean, reason?: DropReason, detail?: string): void } | undefined;

  /** @throws TypeError naming the option when a code option is invalid. */
  constructor(options: StatefulLogRecordProcessorOptions = {}) {
    const env = readEnvConfiguration();
    const config = resolveConfiguration(options, env);
    this._maxQueueSize = config.maxQueueSize;
    this._maxExportBatchSize = config.maxExportBatchSize;
    this._scheduledDelayMillis = config.scheduledDelayMillis;
    this._exportTimeoutMillis = config.exportTimeoutMillis;
    this._exporter = options.exporter ?? new StatefulLogExporter(options, env);
    this._metrics = new ProcessorMetrics(options.meterProvider, this._maxQueueSize, () => this._queue.length);
  }

  /** Queues the record; never throws into the app and never blocks on I/O. */
  onEmit(logRecord: EmittedRecord, _context?: Context): void {
    try {
      if (this._shutdownPromise) {
        this._lose(1, 'shutdown');
        return;
      }
      if (this._queue.length >= this._maxQueueSize) {
        this._lose(1, 'queue_full');
        return;
      }
      this._queue.push(logRecord);
      this._maybeSchedule();
    } catch (err) {
      log.error('onEmit failed', err);
    }
  }

  /** Exports everything queued now, then flushes the exporter. After shutdown: the shutdown promise. */
  forceFlush(): Promise<void> {
    if (this._shutdownPromise) return this._shutdownPromise;
    return this._flushAll().then(() => undefined);
  }

  /** Flushes, shuts the exporter down, reports drops. Idempotent: every call gets the same promise. */
  shutdown(): Promise<void> {
    this._shutdownPromise ??= this._shutdown();
    return this._shutdownPromise;
  }

  private async _shutdown(): Promise<void> {
    // No exporter.forceFlush here: exporter.shutdown flushes within its own deadline, and
    // waiting twice would double the exit time when the receiver is down.
    const drained = await this._flushAll(false);
    if (!drained) {
      // An export is stuck: count its records, and those queued behind it, as lost now, so
      // shutdown ends and nothing goes uncounted.
      this._current?.finish(false, 'timeout', `export still pending at shutdown after ${this._exportTimeoutMillis} ms`);
      const left = this._queue.splice(0);
      this._lose(left.length, 'shutdown', 'still queued behind it');
    }
    this._metrics.shutdown();
    try {
      await this._exporter.shutdown();
    } finally {
      this._drops.report();
    }
  }

  /** Exports what is queued; false when the exports did not finish within exportTimeoutMillis. */
  private async _flushAll(flushExporter = true): Promise<boolean> {
    this._clearSchedule();
    // Records arriving while we flush wait for the next drain: a flush under constant
    // logging must still finish.
    const batches = Math.ceil(this._queue.length / this._maxExportBatchSize);
    for (let i = 0; i < batches; i++) this._enqueueExport();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = await Promise.race([
      this._tail.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this._exportTimeoutMillis);
        timer.unref?.();
      }),
    ]);
    clearTimeout(timer);
    if (!drained) log.warn(`flush: exports still pending after ${this._exportTimeoutMillis} ms (exportTimeoutMillis)`);
    try {
      if (flushExporter && drained) await this._exporter.forceFlush();
    } finally {
      this._drops.report();
    }
    return drained;
  }

  private _maybeSchedule(): void {
    if (this._shutdownPromise || this._pendingExports > 0 || this._queue.length === 0) return;
    if (this._queue.length >= this._maxExportBatchSize) {
      if (this._immediate !== undefined) return;
      if (this._timer !== undefined) {
        clearTimeout(this._timer);
        this._timer = undefined;
      }
      // Not inside onEmit: the app's logging call returns before any encoding work starts.
      this._immediate = setImmediate(() => {
        this._immediate = undefined;
        this._enqueueExport();
      });
      this._immediate.unref?.();
      return;
    }
    if (this._timer !== undefined || this._immediate !== undefined) return;
    this._timer = setTimeout(() => {
      this._timer = undefined;
      this._enqueueExport();
    }, this._scheduledDelayMillis);
    this._timer.unref?.();
  }

  private _clearSchedule(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    if (this._immediate !== undefined) clearImmediate(this._immediate);
    this._timer = undefined;
    this._immediate = undefined;
  }

  /** Appends one export to the chain; the batch is taken when its turn comes. */
  private _enqueueExport(): void {
    this._pendingExports++;
    this._tail = this._tail
      .then(() => {
        const batch = this._queue.splice(0, this._maxExportBatchSize);
        return batch.length > 0 ? this._exportBatch(batch) : undefined;
      })
      .catch((err: unknown) => log.error('export chain failed', err))
      .finally(() => {
        this._pendingExports--;
        this._maybeSchedule();
      });
  }

  /**
   * Runs one export and settles when its callback fires. A slow export is not abandoned:
   * the next batch waits behind it, so a full transport window turns into backpressure on
   * this queue (whose overflow is counted) instead of a growing pile of concurrent exports.
   * A warning says so once the export passes exportTimeoutMillis; shutdown gives up on it.
   */
  private async _exportBatch(batch: EmittedRecord[]): Promise<void> {
    await waitForResources(batch);
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = (ok: boolean, reason?: DropReason, detail?: string): void => {
        if (done) return;
        done = true;
        clearTimeout(slow);
        if (this._current?.finish === finish) this._current = undefined;
        if (ok) this._metrics.processed(batch.length);
        else this._lose(batch.length, reason ?? 'export_failed', detail);
        resolve();
      };
      this._current = { finish };
      const slow = setTimeout(() => {
        log.warn(
          `an export of ${batch.length} records has not completed after ${this._exportTimeoutMillis} ms; ` +
            `later batches wait (the queue absorbs them; what does not fit is dropped and counted)`,
        );
      }, this._exportTimeoutMillis);
      slow.unref?.();
      try {
        context.with(context.active().setValue(SUPPRESS_TRACING_KEY, true), () => {
          this._exporter.export(batch as ReadableLogRecord[], (result) => {
            if (result.code === SUCCESS) finish(true);
            else finish(false, 'export_failed', result.error?.message ?? 'exporter returned FAILED');
          });
        });
      } catch (err) {
        finish(false, 'export_failed', err instanceof Error ? err.message : String(err));
      }
    });
  }

  private _lose(count: number, reason: DropReason, detail?: string): void {
    this._metrics.processed(count, reason);
    this._drops.drop(count, reason, detail);
  }
}

/** The SDK resolves async resource attributes before export; so do we (0.2xx and 3.x alike). */
async function waitForResources(records: EmittedRecord[]): Promise<void> {
  let pending: Set<{ waitForAsyncAttributes?: () => Promise<void> }> | undefined;
  // Records come in runs of one resource (one per provider): ask each resource once per run.
  let last: unknown;
  for (let i = 0; i < records.length; i++) {
    const res = records[i]!.resource as { asyncAttributesPending?: boolean; waitForAsyncAttributes?: () => Promise<void> };
    if (res === last) continue;
    last = res;
    if (res.asyncAttributesPending && res.waitForAsyncAttributes) (pending ??= new Set()).add(res);
  }
  if (pending) await Promise.all([...pending].map((res) => res.waitForAsyncAttributes?.()));
}
