/**
 * LogRecordData -> one plain JSON object in the OTLP/JSON shape (the receiver's JSONL
 * output). Values use the OTLP/JSON AnyValue form; 64-bit integers (times, intValue)
 * are decimal strings as the protobuf JSON mapping requires; ids are hex.
 */
import type { AnyValue, AnyValueMap, HrTime, LogRecordData } from '../encoder/log-record';

export type JsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: JsonKeyValue[] } }
  | Record<string, never>;

export interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

export interface LogRecordJson {
  resource: { attributes: JsonKeyValue[]; droppedAttributesCount: number; schemaUrl?: string };
  scope: { name: string; version?: string; schemaUrl?: string; attributes: JsonKeyValue[]; droppedAttributesCount: number };
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber?: number;
  severityText?: string;
  body?: JsonAnyValue;
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
  traceId?: string;
  spanId?: string;
  flags?: number;
  eventName?: string;
}

/** Nanoseconds since the epoch as a decimal string, exact for any [sec, nanos]. */
export function hrTimeToNanoString(t: HrTime): string {
  return (BigInt(Math.trunc(t[0])) * 1_000_000_000n + BigInt(Math.trunc(t[1]))).toString();
}

export function toJsonAnyValue(v: AnyValue): JsonAnyValue {
  switch (typeof v) {
    case 'string': return { stringValue: v };
    case 'boolean': return { boolValue: v };
    case 'number':
      if (Number.isInteger(v)) return { intValue: String(v) };
      // JSON has no NaN/Infinity: the protobuf JSON mapping spells them as strings.
      return { doubleValue: Number.isFinite(v) ? v : String(v) };
    case 'object':
      if (v === null) return {};
      if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
      if (Array.isArray(v)) return { arrayValue: { values: v.map(toJsonAnyValue) } };
      return { kvlistValue: { values: toJsonKeyValues(v) } };
    default:
      return {};
  }
}

export function toJsonKeyValues(m: AnyValueMap | undefined): JsonKeyValue[] {
  if (!m) return [];
  return Object.keys(m).map((key) => ({ key, value: toJsonAnyValue(m[key]) }));
}

export function logRecordToJson(r: LogRecordData): LogRecordJson {
  const out: LogRecordJson = {
    resource: {
      attributes: toJsonKeyValues(r.resource.attributes),
      droppedAttributesCount: r.resource.droppedAttributesCount ?? 0,
      ...(r.resource.schemaUrl !== undefined ? { schemaUrl: r.resource.schemaUrl } : {}),
    },
    scope: {
      name: r.scope.name,
      ...(r.scope.version !== undefined ? { version: r.scope.version } : {}),
      ...(r.scope.schemaUrl !== undefined ? { schemaUrl: r.scope.schemaUrl } : {}),
      attributes: toJsonKeyValues(r.scope.attributes),
      droppedAttributesCount: r.scope.droppedAttributesCount ?? 0,
    },
    timeUnixNano: hrTimeToNanoString(r.hrTime),
    observedTimeUnixNano: hrTimeToNanoString(r.hrTimeObserved),
    attributes: toJsonKeyValues(r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
  };
  if (r.severityNumber !== undefined) out.severityNumber = r.severityNumber;
  if (r.severityText !== undefined) out.severityText = r.severityText;
  if (r.body !== undefined) out.body = toJsonAnyValue(r.body);
  if (r.spanContext) {
    out.traceId = r.spanContext.traceId;
    out.spanId = r.spanContext.spanId;
    out.flags = r.spanContext.traceFlags;
  }
  if (r.eventName !== undefined) out.eventName = r.eventName;
  return out;
}
