/**
 * SDK `ReadableLogRecord` -> plain `LogRecordData`. SDK records (and resources) are
 * getter objects over private fields, so spreading or JSON-copying them loses data:
 * every property is read explicitly here. Optional fields are only set when present, so
 * the plain record deep-equals what the decoder rebuilds.
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AnyValue, AnyValueMap, HrTime, LogRecordData, ResourceData, ScopeData } from './log-record';

// Resources and scopes are shared by every record of a provider / logger: convert each
// object once. Weak keys, so a dropped provider's resource is collected.
const resourceCache = new WeakMap<object, ResourceData>();
const scopeCache = new WeakMap<object, ScopeData>();

// The last conversion of each, in front of the weak maps (a look-up there costs more than
// the rest of a record's conversion): records come in runs of one provider and logger.
let lastResourceIn: object | undefined;
let lastResourceOut: ResourceData | undefined;
let lastScopeIn: object | undefined;
let lastScopeOut: ScopeData | undefined;

/**
 * The SDK's time arrays (and attributes objects) are made per record and never changed after
 * emit (records are read-only by export time), so the record model shares them instead of
 * copying.
 */
function timeOf(t: readonly [number, number] | undefined): HrTime {
  return t ? (t as HrTime) : [0, 0];
}

function convertResource(r: ReadableLogRecord['resource']): ResourceData {
  if (r === lastResourceIn) return lastResourceOut!;
  const cached = resourceCache.get(r);
  if (cached) {
    lastResourceIn = r;
    lastResourceOut = cached;
    return cached;
  }
  const out: ResourceData = { attributes: { ...(r.attributes as AnyValueMap) } };
  const schemaUrl = (r as { schemaUrl?: string }).schemaUrl;
  if (schemaUrl !== undefined) out.schemaUrl = schemaUrl;
  const dropped = (r as { droppedAttributesCount?: number }).droppedAttributesCount;
  if (dropped !== undefined) out.droppedAttributesCount = dropped;
  // a resource with pending async attributes is still settling: do not cache it
  if (!(r as { asyncAttributesPending?: boolean }).asyncAttributesPending) {
    resourceCache.set(r, out);
    lastResourceIn = r;
    lastResourceOut = out;
  }
  return out;
}

function convertScope(s: ReadableLogRecord['instrumentationScope']): ScopeData {
  if (s === lastScopeIn) return lastScopeOut!;
  const cached = scopeCache.get(s);
  if (cached) {
    lastScopeIn = s;
    lastScopeOut = cached;
    return cached;
  }
  const out: ScopeData = { name: s.name };
  if (s.version !== undefined) out.version = s.version;
  if (s.schemaUrl !== undefined) out.schemaUrl = s.schemaUrl;
  if (s.attributes !== undefined) out.attributes = { ...(s.attributes as AnyValueMap) };
  if (s.droppedAttributesCount !== undefined) out.droppedAttributesCount = s.droppedAttributesCount;
  scopeCache.set(s, out);
  lastScopeIn = s;
  lastScopeOut = out;
  return out;
}

/** Copies one SDK log record into the encoder's plain record model. */
export function toLogRecordData(r: ReadableLogRecord): LogRecordData {
  const hrTime = timeOf(r.hrTime);
  const hrTimeObserved = timeOf(r.hrTimeObserved);
  // Shared, not copied, like the time arrays: the SDK builds a fresh attributes object per
  // record, read-only once emitted, and the encoder only reads it.
  const attributes = (r.attributes ?? {}) as AnyValueMap;
  const droppedAttributesCount = r.droppedAttributesCount ?? 0;
  const resource = convertResource(r.resource);
  const scope = convertScope(r.instrumentationScope);
  const severityNumber = r.severityNumber;
  const severityText = r.severityText;
  const body = r.body as AnyValue | undefined;
  const sc = r.spanContext;
  const eventName = r.eventName;
  // The common field combinations as one literal each: adding properties one by one after
  // the literal grows the object's property store, which cost more than the rest.
  if (eventName === undefined && body !== undefined) {
    if (sc === undefined) {
      if (severityNumber !== undefined && severityText !== undefined) {
        return { hrTime, hrTimeObserved, attributes, droppedAttributesCount, resource, scope, severityNumber, severityText, body };
      }
      if (severityNumber === undefined && severityText === undefined) {
        return { hrTime, hrTimeObserved, attributes, droppedAttributesCount, resource, scope, body };
      }
    } else if (severityNumber !== undefined && severityText !== undefined) {
      const spanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
      return { hrTime, hrTimeObserved, attributes, droppedAttributesCount, resource, scope, severityNumber, severityText, body, spanContext };
    }
  }
  const out: LogRecordData = { hrTime, hrTimeObserved, attributes, droppedAttributesCount, resource, scope };
  if (severityNumber !== undefined) out.severityNumber = severityNumber;
  if (severityText !== undefined) out.severityText = severityText;
  if (body !== undefined) out.body = body;
  if (sc !== undefined) out.spanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
  if (eventName !== undefined) out.eventName = eventName;
  return out;
}
