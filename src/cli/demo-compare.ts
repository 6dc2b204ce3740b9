/**
 * Checks that what the receiver rebuilt is exactly what the application emitted: every
 * field of every record (nanosecond times, severity, body of any AnyValue kind, typed
 * attributes, resource, scope, trace context, event name, dropped counts).
 */
import type { AnyValueMap, LogRecordData, ResourceData } from '../encoder/log-record';
import type { DemoRecord } from './demo-generator';

/** The record the receiver must produce for one emitted demo record. */
export function expectedRecord(r: DemoRecord, resource: ResourceData): LogRecordData {
  const out: LogRecordData = {
    hrTime: r.hrTime,
    hrTimeObserved: r.hrTimeObserved,
    attributes: r.attributes,
    droppedAttributesCount: 0,
    resource,
    scope: {
      name: r.scope.name,
      ...(r.scope.version !== undefined ? { version: r.scope.version } : {}),
      ...(r.scope.schemaUrl !== undefined ? { schemaUrl: r.scope.schemaUrl } : {}),
      // The SDK stores scope attributes with their dropped count (0 here) when any are given.
      ...(r.scope.attributes !== undefined ? { attributes: r.scope.attributes as AnyValueMap, droppedAttributesCount: 0 } : {}),
    },
  };
  if (r.severityNumber !== undefined) out.severityNumber = r.severityNumber;
  if (r.severityText !== undefined) out.severityText = r.severityText;
  if (r.body !== undefined) out.body = r.body;
  if (r.spanContext !== undefined) out.spanContext = r.spanContext;
  if (r.eventName !== undefined) out.eventName = r.eventName;
  return out;
}

/**
 * The first difference between two plain values, as `path: expected X, got Y`, or
 * undefined when they are equal. Strict: types must match (1 vs "1" differ, an absent key
 * differs from a key holding undefined), bytes compare byte by byte, numbers with Object.is.
 */
export function findDifference(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  const show = (v: unknown) => (v instanceof Uint8Array ? `bytes[${v.length}]` : JSON.stringify(v) ?? String(v));
  const mismatch = () => `${path}: expected ${show(expected)}, got ${show(actual)}`;
  if (expected instanceof Uint8Array || actual instanceof Uint8Array) {
    if (!(expected instanceof Uint8Array) || !(actual instanceof Uint8Array) || expected.length !== actual.length) return mismatch();
    for (let i = 0; i < expected.length; i++) if (expected[i] !== actual[i]) return `${path}[${i}]: byte differs`;
    return undefined;
  }
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return mismatch();
    if (expected.length !== actual.length) return `${path}: expected length ${expected.length}, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = findDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!(k in a)) return `${path}.${k}: missing (expected ${show(e[k])})`;
      const d = findDifference(e[k], a[k], `${path}.${k}`);
      if (d) return d;
    }
    for (const k of Object.keys(a)) if (!(k in e)) return `${path}.${k}: unexpected (got ${show(a[k])})`;
    return undefined;
  }
  return mismatch();
}
