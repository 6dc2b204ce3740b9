/**
 * Records that exercise every field of an OpenTelemetry log record, with the exact
 * LogRecordData the receiver must rebuild for each. Shared by the SDK-line integration
 * tests (the 0.2xx compat project has a JS twin in test/compat/sdk-0.2xx/).
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { AnyValueMap, LogRecordData, ResourceData, ScopeData } from '../../src/encoder/log-record';

export const RESOURCE_ATTRIBUTES = {
  'service.name': 'checkout',
  'service.instance.id': 'c0ffee-1',
  'host.cores': 4,
  'process.runtime.lts': true,
  'deployment.regions': ['eu-west-1', 'eu-central-1'],
};
export const RESOURCE_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';
/** Extra attributes beyond this are dropped by the SDK and counted in droppedAttributesCount. */
export const ATTRIBUTE_COUNT_LIMIT = 8;

export interface FixtureScope {
  name: string;
  version?: string;
  options?: { schemaUrl?: string; attributes?: AnyValueMap };
}

export const SCOPE_FULL: FixtureScope = {
  name: 'checkout.http',
  version: '2.3.1',
  options: { schemaUrl: 'https://opentelemetry.io/schemas/1.24.0', attributes: { 'scope.team': 'payments', 'scope.shard': 3 } },
};
export const SCOPE_BARE: FixtureScope = { name: 'checkout.worker' };

export interface FixtureRecord {
  scope: FixtureScope;
  /** Passed to logger.emit (context built from spanContext). */
  emit: Record<string, unknown>;
  spanContext?: { traceId: string; spanId: string; traceFlags: number };
  /** What the receiver must produce (resource and scope filled in by expectedFor). */
  expected: Omit<LogRecordData, 'resource' | 'scope'>;
}

const T = (s: number, n: number): [number, number] => [s, n];

function rec(
  scope: FixtureScope,
  fields: Omit<LogRecordData, 'resource' | 'scope' | 'droppedAttributesCount'> & { droppedAttributesCount?: number; emitAttributes?: AnyValueMap },
): FixtureRecord {
  const { emitAttributes, droppedAttributesCount, ...data } = fields;
  const emit: Record<string, unknown> = {
    timestamp: data.hrTime,
    observedTimestamp: data.hrTimeObserved,
    attributes: emitAttributes ?? data.attributes,
  };
  if (data.severityNumber !== undefined) emit.severityNumber = data.severityNumber;
  if (data.severityText !== undefined) emit.severityText = data.severityText;
  if (data.body !== undefined) emit.body = data.body;
  if (data.eventName !== undefined) emit.eventName = data.eventName;
  return { scope, emit, spanContext: data.spanContext, expected: { ...data, droppedAttributesCount: droppedAttributesCount ?? 0 } };
}

/** The fixture: a few odd records, then a run of patterned ones. */
export function fixtureRecords(): FixtureRecord[] {
  const trace1 = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 };
  const trace2 = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', traceFlags: 0 };
  const many: AnyValueMap = {};
  for (let i = 0; i < ATTRIBUTE_COUNT_LIMIT + 3; i++) many[`k${i}`] = i;
  const kept: AnyValueMap = {};
  for (let i = 0; i < ATTRIBUTE_COUNT_LIMIT; i++) kept[`k${i}`] = i;

  const out: FixtureRecord[] = [
    rec(SCOPE_FULL, {
      hrTime: T(1_764_000_000, 123_456_789),
      hrTimeObserved: T(1_764_000_001, 987_654_321),
      severityNumber: 9,
      severityText: 'INFO',
      body: 'GET /api/v1/orders/48213 200 12.4ms',
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'http.server.request.duration': 0.0124,
        'http.route.cached': false,
        'url.tags': ['a', 'b'],
        'retry.delays': [100, 200, 400],
        'payload.digest': new Uint8Array([0, 1, 254, 255]),
        'client.geo': { country: 'FR', city: 'Lyon', coords: [45.76, 4.84] },
      },
      spanContext: trace1,
      eventName: 'http.request',
    }),
    rec(SCOPE_FULL, {
      hrTime: T(1_764_000_000, 999_999_999),
      hrTimeObserved: T(1_764_000_000, 999_999_999),
      severityNumber: 17,
      body: { event: 'cart.updated', items: 3, total: 59.9, express: false, skus: ['A-1', 'B-2'], meta: { nested: { deep: [1, 'two', true] } }, raw: new Uint8Array([9, 8, 7]) },
      attributes: { 'user.id': 'chloé@example.fr' },
      spanContext: trace2,
    }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 0), hrTimeObserved: T(1_764_000_002, 1), body: 42, attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 5), hrTimeObserved: T(1_764_000_002, 6), body: -3.25, attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 7), hrTimeObserved: T(1_764_000_002, 8), body: true, attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 9), hrTimeObserved: T(1_764_000_002, 10), body: new Uint8Array([1, 2, 3, 0, 255]), attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 11), hrTimeObserved: T(1_764_000_002, 12), body: ['mixed', 1, 2.5, false, { k: 'v' }], attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 13), hrTimeObserved: T(1_764_000_002, 14), body: '', attributes: {}, severityText: 'TRACE', severityNumber: 1 }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 15), hrTimeObserved: T(1_764_000_002, 16), attributes: { note: 'no body at all' } }),
    rec(SCOPE_BARE, {
      hrTime: T(1_764_000_003, 17),
      hrTimeObserved: T(1_764_000_003, 18),
      body: 'Zahlung für Bestellung 4821 fehlgeschlagen ✗ — 再試行します 🚀\n  at line 2\ttab',
      attributes: kept,
      emitAttributes: many,
      droppedAttributesCount: 3,
      severityNumber: 21,
      severityText: 'FATAL',
      eventName: 'payment.failed',
    }),
    // A JSON string body (the encoder may split it; the receiver must give back the string).
    rec(SCOPE_BARE, {
      hrTime: T(1_764_000_004, 19),
      hrTimeObserved: T(1_764_000_004, 20),
      body: '{"level":"info","msg":"stock synced","sku":"SKU-1","delta":-4,"ok":true}',
      attributes: {},
    }),
  ];
  // Patterned lines: the stateful path proper (patterns, dictionary, deltas).
  for (let i = 0; i < 300; i++) {
    out.push(
      rec(i % 3 === 0 ? SCOPE_FULL : SCOPE_BARE, {
        hrTime: T(1_764_000_010 + Math.floor(i / 7), (i * 7_919_113) % 1_000_000_000),
        hrTimeObserved: T(1_764_000_010 + Math.floor(i / 7), ((i * 7_919_113) % 1_000_000_000) + (i % 2)),
        severityNumber: i % 10 === 0 ? 13 : 9,
        severityText: i % 10 === 0 ? 'WARN' : 'INFO',
        body: i % 2 === 0
          ? `User user${i % 17}@example.com logged in from 10.0.${i % 8}.${(i * 37) % 255} (session ${(i * 2_654_435_761 >>> 0).toString(16)})`
          : `Job ${100_000 + i} (email.send) finished in ${i * 3} ms, attempts=${1 + (i % 3)}`,
        attributes: { 'job.queue': 'default', attempt: 1 + (i % 3), 'user.id': `user${i % 17}` },
        ...(i % 4 !== 0 ? { spanContext: { ...trace1, spanId: (0x1000_0000_0000_0000n + BigInt(i)).toString(16) } } : {}),
      }),
    );
  }
  return out;
}

export function expectedResource(): ResourceData {
  return { attributes: { ...RESOURCE_ATTRIBUTES }, schemaUrl: RESOURCE_SCHEMA_URL };
}

export function expectedScope(s: FixtureScope): ScopeData {
  const out: ScopeData = { name: s.name };
  if (s.version !== undefined) out.version = s.version;
  if (s.options?.schemaUrl !== undefined) out.schemaUrl = s.options.schemaUrl;
  if (s.options?.attributes !== undefined) {
    out.attributes = s.options.attributes;
    out.droppedAttributesCount = 0;
  }
  return out;
}

export function expectedFor(r: FixtureRecord): LogRecordData {
  const e: LogRecordData = { ...r.expected, resource: expectedResource(), scope: expectedScope(r.scope) };
  if (r.spanContext) e.spanContext = r.spanContext;
  return e;
}

/** Emits every fixture record through a provider (any SDK line: only the logs API shape is used). */
export function emitFixture(
  provider: { getLogger(name: string, version?: string, options?: object): { emit(r: object): void } },
  records: FixtureRecord[],
): void {
  const loggers = new Map<FixtureScope, { emit(r: object): void }>();
  for (const r of records) {
    let logger = loggers.get(r.scope);
    if (!logger) {
      logger = provider.getLogger(r.scope.name, r.scope.version, r.scope.options);
      loggers.set(r.scope, logger);
    }
    const context = r.spanContext ? trace.setSpanContext(ROOT_CONTEXT, { ...r.spanContext }) : ROOT_CONTEXT;
    logger.emit({ ...r.emit, context });
  }
}
