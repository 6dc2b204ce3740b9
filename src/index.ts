/**
 * otel-stateful-logs: an OpenTelemetry JS log exporter that ships logs over one
 * long-lived gRPC stream in a stateful, pattern-based encoding.
 *
 * @packageDocumentation
 */
export type { LogRecordData, AnyValue, AnyValueMap, HrTime, ResourceData, ScopeData } from './encoder/log-record';
