/**
 * The semantic-convention names this package records (vendored, as OpenTelemetry JS packages
 * do, because they are still "development" status in @opentelemetry/semantic-conventions).
 */
export const METRIC_OTEL_SDK_PROCESSOR_LOG_PROCESSED = 'otel.sdk.processor.log.processed';
export const METRIC_OTEL_SDK_PROCESSOR_LOG_QUEUE_SIZE = 'otel.sdk.processor.log.queue.size';
export const METRIC_OTEL_SDK_PROCESSOR_LOG_QUEUE_CAPACITY = 'otel.sdk.processor.log.queue.capacity';
export const METRIC_OTEL_SDK_EXPORTER_LOG_EXPORTED = 'otel.sdk.exporter.log.exported';
export const METRIC_OTEL_SDK_EXPORTER_LOG_INFLIGHT = 'otel.sdk.exporter.log.inflight';
/** Not in semconv: bytes the records would take as plain text / bytes of the encoded batch. */
export const METRIC_STATEFUL_LOGS_COMPRESSION_RATIO = 'otel_stateful_logs.exporter.compression.ratio';

export const ATTR_OTEL_COMPONENT_TYPE = 'otel.component.type';
export const ATTR_OTEL_COMPONENT_NAME = 'otel.component.name';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';

/** Component types, `<type>/<instance>` naming as the SDK does. */
export const COMPONENT_TYPE_PROCESSOR = 'stateful_log_processor';
export const COMPONENT_TYPE_EXPORTER = 'stateful_log_exporter';

const instances = new Map<string, number>();

/** `{type}/{n}`, n counting instances of that type in this process from 0. */
export function nextComponentName(type: string): string {
  const n = instances.get(type) ?? 0;
  instances.set(type, n + 1);
  return `${type}/${n}`;
}
