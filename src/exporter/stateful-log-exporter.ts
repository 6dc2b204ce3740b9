/**
 * The OpenTelemetry LogRecordExporter of this package. Thin by design: it resolves the
 * configuration, converts SDK records to the plain record model, and wires the stateful
 * encoder (src/encoder/) to the stream transport (src/transport/). Works inside the SDK's
 * BatchLogRecordProcessor as well as behind {@link StatefulLogRecordProcessor}.
 */
import { diag, type MeterProvider } from '@opentelemetry/api';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { readEnvConfiguration } from '../config/env-configuration';
import type { ResolvedConfiguration, StatefulLogExporterOptions } from '../config/options';
import { resolveConfiguration } from '../config/resolve-configuration';
import { toLogRecordData } from '../encoder/record-convert';
import { PatternStore, type PatternStoreOptions } from '../encoder/pattern-store';
import { StatefulEncoder, type EncoderOptions, type EncoderStats } from '../encoder/stateful-encoder';
import type { DeliveryReport } from '../transport/delivery-report';
import { StreamTransport } from '../transport/stream-worker';
import type { TransportOptions } from '../transport/transport-options';
import { ExporterMetrics, type ExporterCounters } from './exporter-metrics';

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
 * `OTEL_EXPORTER_OTLP_LOGS_*` / `OTEL_EXPORTER_OTLP_*` except for the endpoint). `export()`
 * must not be called concurrently from several processors: the encoding is stateful and
 * ordered (one export at a time, as the SDK's processors and ours do).
 */
export class StatefulLogExporter implements LogRecordExporter {
  private readonly _config: ResolvedConfiguration;
  private readonly _encoder: StatefulEncoder;
  private readonly _transport: StreamTransport;
  private readonly _metrics: ExporterMetrics;
  private readonly _counters: ExporterCounters = { rejected: {}, exporting: 0, bodyBytes: 0 };
  private _shutdownPromise: Promise<void> | undefined;

  /** @throws TypeError naming the option when a code option is invalid. */
  constructor(config: StatefulLogExporterConfig = {}) {
    this._config = resolveConfiguration(config, readEnvConfiguration());
    const c = this._config;
    this._encoder = new StatefulEncoder({ patternStore: new PatternStore(config.patterns), ...config.encoder });
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
    this._metrics = new ExporterMetrics(config.meterProvider, c.address, () => this._transport.stats(), this._counters);
  }

  /**
   * Encodes the records (in call order: the encoder's state depends on it) and hands the
   * batch to the transport. SUCCESS once the batch is in the transport's window (the
   * transport then delivers it across reconnects); FAILED after shutdown or on a permanent
   * error.
   */
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    if (this._shutdownPromise) {
      this._reject(logs.length, 'shutdown');
      resultCallback({ code: FAILED, error: new Error('otel-stateful-logs exporter is shut down') });
      return;
    }
    let batch;
    let bodyBytes = 0;
    try {
      const records = logs.map(toLogRecordData);
      for (const r of records) if (typeof r.body === 'string') bodyBytes += Buffer.byteLength(r.body);
      batch = this._encoder.encode(records);
    } catch (err) {
      this._reject(logs.length, 'encode_failed');
      resultCallback({ code: FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      return;
    }
    this._counters.exporting += logs.length;
    this._transport.submit(batch).then(
      () => {
        this._counters.exporting -= logs.length;
        this._counters.bodyBytes += bodyBytes;
        resultCallback({ code: SUCCESS });
      },
      (err: unknown) => {
        this._counters.exporting -= logs.length;
        this._reject(logs.length, 'submit_failed');
        resultCallback({ code: FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      },
    );
  }

  /** Waits until everything exported so far is acknowledged, within `exportTimeoutMillis`. */
  async forceFlush(): Promise<void> {
    if (this._shutdownPromise) return this._shutdownPromise;
    const report = await this._transport.flush(this._config.exportTimeoutMillis);
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
    if (report.droppedRecords > 0) {
      const reasons = Object.entries(report.dropReasons).map(([why, n]) => `${n} ${why}`).join('; ');
      log.warn(`shutdown: ${report.droppedRecords} of ${report.submittedRecords} records were not delivered (${reasons})`);
    }
  }

  private _reject(count: number, type: string): void {
    this._counters.rejected[type] = (this._counters.rejected[type] ?? 0) + count;
  }
}
