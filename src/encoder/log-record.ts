/**
 * The record model shared by every room: a plain, lossless copy of what an
 * OpenTelemetry `ReadableLogRecord` carries. The encoder consumes it, the decoder
 * rebuilds it, and `decode(encode(x))` must deep-equal `x`.
 *
 * Plain data on purpose: SDK records are getter objects over private fields
 * (spreading them loses data), so the exporter copies them into this shape once.
 */

/** An OpenTelemetry AnyValue, as JS holds it. */
export type AnyValue =
  | string
  | number
  | boolean
  | Uint8Array
  | null
  | undefined
  | AnyValue[]
  | AnyValueMap;

export interface AnyValueMap {
  [key: string]: AnyValue;
}

/** `[seconds, nanoseconds]`, as in `@opentelemetry/api`'s HrTime. */
export type HrTime = [number, number];

export interface ResourceData {
  attributes: AnyValueMap;
  droppedAttributesCount?: number;
  schemaUrl?: string;
}

export interface ScopeData {
  name: string;
  version?: string;
  schemaUrl?: string;
  attributes?: AnyValueMap;
  droppedAttributesCount?: number;
}

export interface LogRecordData {
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes: AnyValueMap;
  droppedAttributesCount: number;
  resource: ResourceData;
  scope: ScopeData;
  /** Present when the record carried a span context (hex ids, as in the API). */
  spanContext?: { traceId: string; spanId: string; traceFlags: number };
  eventName?: string;
}
