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
 * The SDK's time arrays are made per record and never changed after emit (records are
 * read-only by export time), so the record model shares them instead of copying.
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
  const out: LogRecordData = {
    hrTime: timeOf(r.hrTime),
    hrTimeObserved: timeOf(r.hrTimeObserved),
    attributes: { ...(r.attributes as AnyValueMap) },
    droppedAttributesCount: r.droppedAttributesCount ?? 0,
    resource: convertResource(r.resource),
    scope: convertScope(r.instrumentationScope),
  };
  const severityNumber = r.severityNumber;
  if (severityNumber !== undefined) out.severityNumber = severityNumber;
  const severityText = r.severityText;
  if (severityText !== undefined) out.severityText = severityText;
  const body = r.body;
  if (body !== undefined) out.body = body as AnyValue;
  const sc = r.spanContext;
  if (sc !== undefined) out.spanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
  const eventName = r.eventName;
  if (eventName !== undefined) out.eventName = eventName;
  return out;
}
