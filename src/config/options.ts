/**
 * Option types of the exporter and the processor, and their defaults. Every knob is
 * documented where it is declared: meaning, unit, default, range.
 */
import type { MeterProvider } from '@opentelemetry/api';

/**
 * Compression on the stream. `deflate-stream` (the default: deflate primed with the stream's
 * last 32 KiB) or per batch `zstd`, `gzip`, `none`; OTLP knows only gzip/none.
 */
export type StatefulCompression = 'none' | 'gzip' | 'zstd' | 'deflate-stream';

/** Options of {@link StatefulLogExporter}; every field falls back to the environment, then a default. */
export interface StatefulLogExporterOptions {
  /**
   * Receiver address. `http://host:port` = plaintext, `https://host:port` = TLS,
   * `host:port` = TLS unless `insecure` is true, `unix:///path` = a Unix socket.
   * A path after the port is ignored (with a warning). Default `http://localhost:4327`.
   * Env: `OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT` (no OTLP fallback: an OTLP port does not speak this protocol).
   */
  url?: string;
  /** gRPC metadata sent when the stream opens (e.g. `authorization`). Env: `…_HEADERS` (`k=v,k2=v2`). */
  headers?: Record<string, string>;
  /** Deadline, in ms, for a stream to open and for one export to be accepted. > 0. Default 10000. Env: `…_TIMEOUT`. */
  timeoutMillis?: number;
  /** Compression. Default `deflate-stream` (fewest bytes); `zstd`, `gzip`, `none` per batch. Env: `…_COMPRESSION`. */
  compression?: StatefulCompression;
  /** For a URL without scheme: true = plaintext. Env: `…_INSECURE` (`true`/`false`). Default false. */
  insecure?: boolean;
  /** PEM root CA for TLS (contents, not a path). Env: `…_CERTIFICATE` (a file path). */
  rootCertificate?: Uint8Array;
  /** PEM client private key for mTLS (contents). Env: `…_CLIENT_KEY` (a file path). Needs `clientCertificate`. */
  clientKey?: Uint8Array;
  /** PEM client certificate chain for mTLS (contents). Env: `…_CLIENT_CERTIFICATE` (a file path). Needs `clientKey`. */
  clientCertificate?: Uint8Array;
  /**
   * Longest wait, in ms, of the exporter's forceFlush() and shutdown() for acknowledgements
   * (what is still unacknowledged at shutdown is reported as not delivered). > 0. Default 30000.
   * Env: `OTEL_BLRP_EXPORT_TIMEOUT`.
   */
  exportTimeoutMillis?: number;
  /** When given, the exporter records its self-metrics (semantic-convention names) there. */
  meterProvider?: MeterProvider;
  /**
   * Attribute keys whose values always go to the tag dictionary, from their first sighting
   * (low-cardinality keys: `deployment.environment`, `http.route`). Other keys are promoted
   * lazily, once a value repeats. Non-empty strings, none also in `untaggedAttributes`.
   * Default none. Env: `OTEL_EXPORTER_STATEFUL_LOGS_TAG_ATTRIBUTES` (comma-separated).
   */
  tagAttributes?: string[];
  /**
   * Attribute keys whose values never enter the tag dictionary and travel with each record
   * (high-cardinality keys: `request.id`, `user.id`); a record holding one is never sent as a
   * whole dictionary attribute set. Non-empty strings, none also in `tagAttributes`.
   * Default none. Env: `OTEL_EXPORTER_STATEFUL_LOGS_UNTAGGED_ATTRIBUTES` (comma-separated).
   */
  untaggedAttributes?: string[];
}

/** Batching options of {@link StatefulLogRecordProcessor} (same names and defaults as the SDK's BatchLogRecordProcessor). */
export interface StatefulBatchOptions {
  /** Records held at most; more are dropped, counted and warned about. >= 1. Default 2048. Env: `OTEL_BLRP_MAX_QUEUE_SIZE`. */
  maxQueueSize?: number;
  /** Records per export, <= maxQueueSize (clamped with a warning). >= 1. Default 512. Env: `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`. */
  maxExportBatchSize?: number;
  /** Longest wait, in ms, before a partial batch is exported. >= 0. Default 1000. Env: `OTEL_BLRP_SCHEDULE_DELAY`. */
  scheduledDelayMillis?: number;
  /** How long one export may take, in ms, before it is abandoned as failed. > 0. Default 30000. Env: `OTEL_BLRP_EXPORT_TIMEOUT`. */
  exportTimeoutMillis?: number;
}

/** Everything the single resolver understands (exporter and processor options share it). */
export interface StatefulLogsOptions extends StatefulLogExporterOptions, StatefulBatchOptions {}

/** TLS material, already loaded. */
export interface TlsMaterial {
  rootCertificate?: Uint8Array;
  clientKey?: Uint8Array;
  clientCertificate?: Uint8Array;
}

/** The fully resolved configuration: code > env > defaults, validated. */
export interface ResolvedConfiguration {
  /** The URL as given (or the default), for messages. */
  url: string;
  /** What gRPC dials: `host:port` or `unix:///path`. */
  address: string;
  /** True = TLS channel credentials; false = plaintext. */
  secure: boolean;
  tls: TlsMaterial;
  headers: Record<string, string>;
  timeoutMillis: number;
  compression: StatefulCompression;
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  /** Attribute keys always sent through the tag dictionary (empty = none). */
  tagAttributes: string[];
  /** Attribute keys never sent through the tag dictionary (empty = none; disjoint from tagAttributes). */
  untaggedAttributes: string[];
}

export const DEFAULT_URL = 'http://localhost:4327';
export const DEFAULT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_COMPRESSION: StatefulCompression = 'deflate-stream';
export const DEFAULT_MAX_QUEUE_SIZE = 2048;
export const DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;
export const DEFAULT_SCHEDULED_DELAY_MILLIS = 1000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 30_000;
