/**
 * Self-metrics of the exporter, in the semantic-convention names; no-ops without a
 * MeterProvider. "Exported" means acknowledged by the receiver (read from the transport's
 * counters), not merely accepted into the window, so a record dropped later is counted as
 * failed with its reason.
 */
import { createNoopMeter, type Attributes, type MeterProvider, type ObservableResult } from '@opentelemetry/api';
import type { DeliveryReport } from '../transport/delivery-report';
import {
  ATTR_ERROR_TYPE,
  ATTR_OTEL_COMPONENT_NAME,
  ATTR_OTEL_COMPONENT_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  COMPONENT_TYPE_EXPORTER,
  METRIC_OTEL_SDK_EXPORTER_LOG_EXPORTED,
  METRIC_OTEL_SDK_EXPORTER_LOG_INFLIGHT,
  METRIC_STATEFUL_LOGS_COMPRESSION_RATIO,
  nextComponentName,
} from '../telemetry/semconv';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';

export interface ExporterCounters {
  /** Records refused before they reached the transport, by error type. */
  rejected: Record<string, number>;
  /** Records handed to export() whose callback has not fired yet. */
  exporting: number;
  /** UTF-8 bytes of the string bodies accepted by the transport. */
  bodyBytes: number;
}

export class ExporterMetrics {
  private readonly _attrs: Attributes;
  private readonly _detach: () => void;

  constructor(meterProvider: MeterProvider | undefined, address: string, stats: () => DeliveryReport, counters: ExporterCounters) {
    const meter = meterProvider ? meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION) : createNoopMeter();
    const colon = address.lastIndexOf(':');
    const port = Number(address.slice(colon + 1));
    this._attrs = {
      [ATTR_OTEL_COMPONENT_TYPE]: COMPONENT_TYPE_EXPORTER,
      [ATTR_OTEL_COMPONENT_NAME]: nextComponentName(COMPONENT_TYPE_EXPORTER),
      [ATTR_SERVER_ADDRESS]: colon > 0 && !address.startsWith('unix:') ? address.slice(0, colon) : address,
      ...(Number.isInteger(port) && port > 0 ? { [ATTR_SERVER_PORT]: port } : {}),
    };
    const exported = meter.createObservableCounter(METRIC_OTEL_SDK_EXPORTER_LOG_EXPORTED, {
      unit: '{log_record}',
      description: 'Log records acknowledged by the receiver, or failed (error.type says why).',
    });
    const inflight = meter.createObservableUpDownCounter(METRIC_OTEL_SDK_EXPORTER_LOG_INFLIGHT, {
      unit: '{log_record}',
      description: 'Log records passed to the exporter and neither acknowledged nor failed yet.',
    });
    const ratio = meter.createObservableGauge(METRIC_STATEFUL_LOGS_COMPRESSION_RATIO, {
      unit: '1',
      description: 'UTF-8 bytes of the string bodies exported / bytes of batch frames sent (snapshots and replays included).',
    });
    const onExported = (r: ObservableResult) => {
      const s = stats();
      r.observe(s.ackedRecords, this._attrs);
      const failed: Record<string, number> = { ...counters.rejected };
      for (const [reason, n] of Object.entries(s.dropReasons)) failed[errorType(reason)] = (failed[errorType(reason)] ?? 0) + n;
      for (const [type, n] of Object.entries(failed)) r.observe(n, { ...this._attrs, [ATTR_ERROR_TYPE]: type });
    };
    const onInflight = (r: ObservableResult) => r.observe(stats().pendingRecords + counters.exporting, this._attrs);
    const onRatio = (r: ObservableResult) => {
      const sent = stats().bytesSent;
      if (sent > 0) r.observe(counters.bodyBytes / sent, this._attrs);
    };
    exported.addCallback(onExported);
    inflight.addCallback(onInflight);
    ratio.addCallback(onRatio);
    this._detach = () => {
      exported.removeCallback(onExported);
      inflight.removeCallback(onInflight);
      ratio.removeCallback(onRatio);
    };
  }

  shutdown(): void {
    this._detach();
  }
}

/** Transport drop reasons are sentences; metric attributes want a short, low-cardinality type. */
function errorType(reason: string): string {
  if (reason.startsWith('permanent error')) return 'permanent_error';
  if (reason.startsWith('shutdown')) return 'shutdown';
  if (reason.includes('maxBatchBytes')) return 'batch_too_large';
  return reason.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 40);
}
