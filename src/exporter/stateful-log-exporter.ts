/**
 * The OpenTelemetry LogRecordExporter of this package. Thin by design: it resolves the
 * configuration, converts SDK records to the plain record model, and wires the stateful
 * encoder (src/encoder/) to the stream transport (src/transport/). Works inside the SDK's
 * BatchLogRecordProcessor as well as behind {@link StatefulLogRecordProcessor}.
 */
import { diag, type MeterProvider } from '@opentelemetry/api';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { readEnvConfiguration, type EnvConfiguration } from '../config/env-configuration';
import type { ResolvedConfiguration, StatefulLogExporterOptions } from '../config/options';
import { resolveConfiguration } from '../config/resolve-configuration';
import type { PatternStoreOptions } from '../encoder/pattern-store';
import { StatefulEncoder, type EncodedBatch, type EncoderOptions, type EncoderStats } from '../encoder/stateful-encoder';
import { DropReporter } from '../telemetry/drop-reporter';
import { BatchTooLargeError } from '../transport/batch-too-large-error';
import type { DeliveryReport } from '../transport/delivery-report';
import { StreamTransport } from '../transport/stream-worker';
import { DEFAULT_MAX_BATCH_BYTES, type TransportOptions } from '../transport/transport-options';
import { ExporterMetrics, type ExporterCounters } from './exporter-metrics';
import { toExportRuns } from './export-runs';

const log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/exporter' });

// ExportResultCode of @opentelemetry/core, which we do not import, even for types: core
// pins one API line, and its major differs between the supported SDK lines.
const SUCCESS = 0;
const FAILED = 1;

/** Structurally @opentelemetry/core's ExportResult (code 0 = SUCCESS, 1 = FAILED). */
export interface ExportResult {
  code: 0 | 1;
  error?: Error;
}

/** Exporter options, plus pass-through knobs of the encoder and transport for advanced users. */
export interface StatefulLogExporterConfig extends StatefulLogExporterOptions {
  /** Pattern store limits (max patterns, bytes, eviction watermarks…). */
  patterns?: PatternStoreOptions;
  /** Encoder knobs (tag dictionary limits, JSON body splitting…). */
  encoder?: Omit<EncoderOptions, 'patternStore'>;
  /** Transport knobs not covered above (window sizes, backoff, stream lifetime…). */
  transport?: Omit<TransportOptions, 'endpoint' | 'insecure' | 'tls' | 'headers' | 'compression'>;
  meterProvider?: MeterProvider;
}

/** What the exporter has done so far: encoder state and delivery counters. */
export interface StatefulLogExporterStats {
  encoder: EncoderStats;
  transport: DeliveryReport;
}

/**
 * Ships OpenTelemetry log records over one long-lived gRPC stream in the stateful encoding.
 *
 * ```ts
 * new BatchLogRecordProcessor({ exporter: new StatefulLogExporter({ url: 'https://intake:4327' }) });
 * ```
 *
 * With no options it is configured from `OTEL_EXPORTER_STATEFUL_LOGS_*` (falling back to
 * `OTEL_EXPORTER_OTLP_LOGS_*` / `OTEL_EXPORTER_OTLP_*` except for the endpoint). The
 * encoding is stateful and ordered; overlapping `export()` calls are still safe, because each
 * call encodes synchronously and the transport keeps the call order.
 */
export class StatefulLogExporter implements LogRecordExporter {
  private readonly _config: ResolvedConfiguration;
  private readonly _encoder: StatefulEncoder;
  private readonly _transport: StreamTransport;
  private readonly _metrics: ExporterMetrics;
  private readonly _counters: ExporterCounters = { rejected: {}, exporting: 0, bodyBytes: 0 };
  /** Throttled warning for records the transport refused as too large (counted there). */
  private readonly _drops = new DropReporter('otel-stateful-logs/exporter');
  private _shutdownPromise: Promise<void> | undefined;
  /** Largest estimated run per encoded batch: half the transport's compressed-batch limit. */
  private readonly _maxRunBytes: number;

  /**
   * @param config code options; each one unset falls back to the environment, then a default.
   * @param env @internal the environment already read (by the processor), so a bad value warns once.
   * @throws TypeError naming the option when a code option is invalid.
   */
  constructor(config: StatefulLogExporterConfig = {}, env: EnvConfiguration = readEnvConfiguration()) {
    // the attribute lists may also come through the encoder pass-through (top-level wins)
    this._config = resolveConfiguration({
      ...config,
      tagAttributes: config.tagAttributes ?? config.encoder?.tagAttributes,
      untaggedAttributes: config.untaggedAttributes ?? config.encoder?.untaggedAttributes,
    }, env);
    const c = this._config;
    // The encoder builds the pattern store itself so that it picks the tokenizer
    // (selectTokenizer: native when built, else TypeScript) and prefetches each batch.
    this._encoder = new StatefulEncoder({
      ...config.encoder,
      patterns: (config.patterns ?? config.encoder?.patterns) !== undefined ? { ...config.encoder?.patterns, ...config.patterns } : undefined,
      tagAttributes: c.tagAttributes,
      untaggedAttributes: c.untaggedAttributes,
    });
    const tls = c.tls;
    this._transport = new StreamTransport({
      connectTimeoutMillis: c.timeoutMillis,
      ...config.transport,
      endpoint: c.address,
      insecure: !c.secure,
      tls: tls.rootCertificate || tls.clientKey
        ? {
            ...(tls.rootCertificate ? { ca: Buffer.from(tls.rootCertificate) } : {}),
            ...(tls.clientKey && tls.clientCertificate ? { key: Buffer.from(tls.clientKey), cert: Buffer.from(tls.clientCertificate) } : {}),
          }
        : undefined,
      headers: c.headers,
      compression: c.compression,
    });
    this._maxRunBytes = Math.floor((config.transport?.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES) / 2);
    this._metrics = new ExporterMetrics(config.meterProvider, c.address, () => this._transport.stats(), this._counters);
  }

  /**
   * Encodes the records (in call order: the encoder's state depends on it) and hands the
   * batch to the transport. SUCCESS once the batch is in the transport's window (the
   * transport then delivers it across reconnects); FAILED after shutdown or on a permanent
   * error. A run the transport refuses as larger than `maxBatchBytes` does not fail the
   * export (like an OTLP partial success): its records are counted once, by the transport
   * (`otel.sdk.exporter.log.exported{error.type=batch_too_large}`), and reported through a
   * throttled `diag.warn`, so the processor does not count them, and the rest, again.
   */
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    if (this._shutdownPromise) {
      this._reject(logs.length, 'shutdown');
      resultCallback({ code: FAILED, error: new Error('otel-stateful-logs exporter is shut down') });
      return;
    }
    // Encode every run now, in order (the encoder's state depends on it); an encoded batch
    // must reach the transport whatever happens to later runs, or the receiver would miss
    // its definitions.
    const batches: { batch: EncodedBatch; records: number; bodyBytes: number }[] = [];
    let error: Error | undefined;
    let unencoded = 0;
    try {
      const runs = toExportRuns(logs, this._maxRunBytes);
      for (let i = 0; i < runs.length; i++) {
        const run = runs[i]!;
        batches.push({ batch: this._encoder.encode(run.records), records: run.records.length, bodyBytes: run.bodyBytes });
      }
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
      unencoded = logs.length - batches.reduce((n, b) => n + b.records, 0);
      this._reject(unencoded, 'encode_failed');
    }
    const submitted = logs.length - unencoded;
    this._counters.exporting += submitted;
    void Promise.allSettled(batches.map((b) => this._transport.submit(b.batch))).then((results) => {
      this._counters.exporting -= submitted;
      results.forEach((r, i) => {
        const b = batches[i]!;
        if (r.status === 'fulfilled') {
          this._counters.bodyBytes += b.bodyBytes;
          return;
        }
        if (r.reason instanceof BatchTooLargeError) {
          this._drops.drop(r.reason.droppedRecords, 'export_failed', `batch of ${r.reason.batchBytes} bytes over maxBatchBytes ${r.reason.maxBatchBytes} (records this large cannot be sent)`);
          return;
        }
        error ??= r.reason instanceof Error ? r.reason : new Error(String(r.reason));
        this._reject(b.records, 'submit_failed');
      });
      resultCallback(error ? { code: FAILED, error } : { code: SUCCESS });
    });
  }


  /** Waits until everything exported so far is acknowledged, within `exportTimeoutMillis`. */
  async forceFlush(): Promise<void> {
    if (this._shutdownPromise) return this._shutdownPromise;
    const report = await this._transport.flush(this._config.exportTimeoutMillis);
    this._drops.report();
    if (report.timedOut) {
      log.warn(`forceFlush: ${report.pendingRecords} records still unacknowledged after ${this._config.exportTimeoutMillis} ms`);
    }
  }

  /** Flushes within `exportTimeoutMillis`, closes the stream, reports what was not delivered. Idempotent. */
  shutdown(): Promise<void> {
    this._shutdownPromise ??= this._shutdown();
    return this._shutdownPromise;
  }

  /** Encoder state and delivery counters (records acked, dropped by reason, bytes sent…). */
  stats(): StatefulLogExporterStats {
    return { encoder: this._encoder.stats(), transport: this._transport.stats() };
  }

  private async _shutdown(): Promise<void> {
    const report = await this._transport.shutdown(this._config.exportTimeoutMillis);
    this._metrics.shutdown();
    this._drops.report();
    if (report.droppedRecords > 0) {
      const reasons = Object.entries(report.dropReasons).map(([why, n]) => `${n} ${why}`).join('; ');
      log.warn(`shutdown: ${report.droppedRecords} of ${report.submittedRecords} records were not delivered (${reasons})`);
    }
  }

  private _reject(count: number, type: string): void {
    this._counters.rejected[type] = (this._counters.rejected[type] ?? 0) + count;
  }
}
