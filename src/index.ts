/**
 * otel-stateful-logs: an OpenTelemetry JS log exporter that ships logs over one
 * long-lived gRPC stream in a stateful, pattern-based encoding.
 *
 * ```ts
 * import { LoggerProvider } from '@opentelemetry/sdk-logs';
 * import { StatefulLogRecordProcessor } from 'otel-stateful-logs';
 *
 * const provider = new LoggerProvider({
 *   processors: [new StatefulLogRecordProcessor({ url: 'https://intake.example.com:4327' })],
 * });
 * ```
 *
 * Zero-code: `node --import otel-stateful-logs/register app.js`.
 *
 * @packageDocumentation
 */

// The SDK integration.
export {
  StatefulLogExporter,
  type StatefulLogExporterConfig,
  type StatefulLogExporterStats,
  type ExportResult,
} from './exporter/stateful-log-exporter';
export {
  StatefulLogRecordProcessor,
  type StatefulLogRecordProcessorOptions,
} from './processor/stateful-log-record-processor';
export type {
  StatefulLogExporterOptions,
  StatefulBatchOptions,
  StatefulCompression,
} from './config/options';

// The receiver, to run or embed (see also the `otel-stateful-logs receive` command).
export {
  startReceiver,
  type ReceiverOptions,
  type ReceiverTlsOptions,
  type RunningReceiver,
  type RecordSink,
  type SinkContext,
  type ReceiverStats,
  type ReceiverLimits,
  MemorySink,
  JsonlSink,
} from './receiver/index';

// The codec, for advanced users (custom transports, offline encoding, tests).
export { StatefulEncoder, type EncodedBatch, type EncoderOptions, type EncoderStats } from './encoder/stateful-encoder';
export { StatefulDecoder, type DecoderLimits } from './encoder/stateful-decoder';
export { PatternStore, type PatternStoreOptions } from './encoder/pattern-store';
export { toLogRecordData } from './encoder/record-convert';
export type { DeliveryReport } from './transport/delivery-report';
export type { LogRecordData, AnyValue, AnyValueMap, HrTime, ResourceData, ScopeData } from './encoder/log-record';
