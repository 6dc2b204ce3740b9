// The OpenTelemetry JS 0.2xx logs line (sdk-logs 0.223, @opentelemetry/api-logs, api 1.9)
// end to end: a real LoggerProvider of that line with our processor and exporter (the
// package installed as a real copy, so every peer resolves from this project), a real
// receiver on loopback with an in-memory sink, and every field of every record checked.
// JS twin of test/sdk/sdk-fixture.ts + sdk-3x.integration.test.ts in the main suite.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  MemorySink,
  StatefulDecoder,
  StatefulLogExporter,
  StatefulLogRecordProcessor,
  startReceiver,
} from 'otel-stateful-logs';

// Read from node_modules directly: not every package exports ./package.json.
const versions = Object.fromEntries(
  ['@opentelemetry/api', '@opentelemetry/api-logs', '@opentelemetry/sdk-logs', '@opentelemetry/resources'].map((p) => [
    p,
    JSON.parse(readFileSync(new URL(`./node_modules/${p}/package.json`, import.meta.url), 'utf8')).version,
  ]),
);

const RESOURCE_ATTRIBUTES = {
  'service.name': 'checkout',
  'service.instance.id': 'c0ffee-1',
  'host.cores': 4,
  'process.runtime.lts': true,
  'deployment.regions': ['eu-west-1', 'eu-central-1'],
};
const RESOURCE_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';
const LIMIT = 8;
const SCOPE_FULL = {
  name: 'checkout.http',
  version: '2.3.1',
  options: { schemaUrl: 'https://opentelemetry.io/schemas/1.24.0', attributes: { 'scope.team': 'payments', 'scope.shard': 3 } },
};
const SCOPE_BARE = { name: 'checkout.worker' };
const T = (s, n) => [s, n];

/** { scope, emit, spanContext, expected } — expected is what the receiver must rebuild. */
function rec(scope, f) {
  const { emitAttributes, droppedAttributesCount, ...data } = f;
  const emit = { timestamp: data.hrTime, observedTimestamp: data.hrTimeObserved, attributes: emitAttributes ?? data.attributes };
  for (const k of ['severityNumber', 'severityText', 'body', 'eventName']) if (data[k] !== undefined) emit[k] = data[k];
  return { scope, emit, spanContext: data.spanContext, expected: { ...data, droppedAttributesCount: droppedAttributesCount ?? 0 } };
}

function fixture() {
  const trace1 = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 };
  const trace2 = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00f067aa0ba902b7', traceFlags: 0 };
  const many = {};
  const kept = {};
  for (let i = 0; i < LIMIT + 3; i++) many[`k${i}`] = i;
  for (let i = 0; i < LIMIT; i++) kept[`k${i}`] = i;
  const out = [
    rec(SCOPE_FULL, {
      hrTime: T(1_764_000_000, 123_456_789), hrTimeObserved: T(1_764_000_001, 987_654_321),
      severityNumber: 9, severityText: 'INFO', body: 'GET /api/v1/orders/48213 200 12.4ms',
      attributes: {
        'http.request.method': 'GET', 'http.response.status_code': 200, 'http.server.request.duration': 0.0124,
        'http.route.cached': false, 'url.tags': ['a', 'b'], 'retry.delays': [100, 200, 400],
        'payload.digest': new Uint8Array([0, 1, 254, 255]), 'client.geo': { country: 'FR', city: 'Lyon', coords: [45.76, 4.84] },
      },
      spanContext: trace1, eventName: 'http.request',
    }),
    rec(SCOPE_FULL, {
      hrTime: T(1_764_000_000, 999_999_999), hrTimeObserved: T(1_764_000_000, 999_999_999), severityNumber: 17,
      body: { event: 'cart.updated', items: 3, total: 59.9, express: false, skus: ['A-1', 'B-2'], meta: { nested: { deep: [1, 'two', true] } }, raw: new Uint8Array([9, 8, 7]) },
      attributes: { 'user.id': 'chloé@example.fr' }, spanContext: trace2,
    }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 0), hrTimeObserved: T(1_764_000_002, 1), body: 42, attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 5), hrTimeObserved: T(1_764_000_002, 6), body: -3.25, attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 7), hrTimeObserved: T(1_764_000_002, 8), body: true, attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 9), hrTimeObserved: T(1_764_000_002, 10), body: new Uint8Array([1, 2, 3, 0, 255]), attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 11), hrTimeObserved: T(1_764_000_002, 12), body: ['mixed', 1, 2.5, false, { k: 'v' }], attributes: {} }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 13), hrTimeObserved: T(1_764_000_002, 14), body: '', attributes: {}, severityText: 'TRACE', severityNumber: 1 }),
    rec(SCOPE_BARE, { hrTime: T(1_764_000_002, 15), hrTimeObserved: T(1_764_000_002, 16), attributes: { note: 'no body at all' } }),
    rec(SCOPE_BARE, {
      hrTime: T(1_764_000_003, 17), hrTimeObserved: T(1_764_000_003, 18),
      body: 'Zahlung für Bestellung 4821 fehlgeschlagen ✗ — 再試行します 🚀\n  at line 2\ttab',
      attributes: kept, emitAttributes: many, droppedAttributesCount: 3, severityNumber: 21, severityText: 'FATAL', eventName: 'payment.failed',
    }),
    rec(SCOPE_BARE, {
      hrTime: T(1_764_000_004, 19), hrTimeObserved: T(1_764_000_004, 20),
      body: '{"level":"info","msg":"stock synced","sku":"SKU-1","delta":-4,"ok":true}', attributes: {},
    }),
  ];
  for (let i = 0; i < 300; i++) {
    const nanos = (i * 7_919_113) % 1_000_000_000;
    out.push(rec(i % 3 === 0 ? SCOPE_FULL : SCOPE_BARE, {
      hrTime: T(1_764_000_010 + Math.floor(i / 7), nanos),
      hrTimeObserved: T(1_764_000_010 + Math.floor(i / 7), nanos + (i % 2)),
      severityNumber: i % 10 === 0 ? 13 : 9,
      severityText: i % 10 === 0 ? 'WARN' : 'INFO',
      body: i % 2 === 0
        ? `User user${i % 17}@example.com logged in from 10.0.${i % 8}.${(i * 37) % 255} (session ${((i * 2_654_435_761) >>> 0).toString(16)})`
        : `Job ${100_000 + i} (email.send) finished in ${i * 3} ms, attempts=${1 + (i % 3)}`,
      attributes: { 'job.queue': 'default', attempt: 1 + (i % 3), 'user.id': `user${i % 17}` },
      ...(i % 4 !== 0 ? { spanContext: { ...trace1, spanId: (0x1000_0000_0000_0000n + BigInt(i)).toString(16) } } : {}),
    }));
  }
  return out;
}

function expectedScope(s) {
  const out = { name: s.name };
  if (s.version !== undefined) out.version = s.version;
  if (s.options?.schemaUrl !== undefined) out.schemaUrl = s.options.schemaUrl;
  if (s.options?.attributes !== undefined) Object.assign(out, { attributes: s.options.attributes, droppedAttributesCount: 0 });
  return out;
}

function expectedFor(r) {
  const e = { ...r.expected, resource: { attributes: { ...RESOURCE_ATTRIBUTES }, schemaUrl: RESOURCE_SCHEMA_URL }, scope: expectedScope(r.scope) };
  if (r.spanContext) e.spanContext = r.spanContext;
  return e;
}

function emitAll(provider, records) {
  const loggers = new Map();
  for (const r of records) {
    if (!loggers.has(r.scope)) loggers.set(r.scope, provider.getLogger(r.scope.name, r.scope.version, r.scope.options));
    const context = r.spanContext ? trace.setSpanContext(ROOT_CONTEXT, { ...r.spanContext }) : ROOT_CONTEXT;
    loggers.get(r.scope).emit({ ...r.emit, context });
  }
}

/** Plain-data view for deepStrictEqual (Buffers and Uint8Arrays compare by bytes). */
function plain(v) {
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe(`OpenTelemetry JS 0.2xx line (${Object.entries(versions).map(([k, v]) => `${k.split('/')[1]} ${v}`).join(', ')}) -> receiver`, () => {
  let receiver;
  const sink = new MemorySink();
  const resource = resourceFromAttributes(RESOURCE_ATTRIBUTES, { schemaUrl: RESOURCE_SCHEMA_URL });

  before(async () => {
    assert.match(versions['@opentelemetry/sdk-logs'], /^0\.2\d\d\./);
    assert.match(versions['@opentelemetry/api'], /^1\.9\./);
    // The package must use this project's API copy (a real install, no nested OpenTelemetry).
    assert.ok(!existsSync(new URL('./node_modules/otel-stateful-logs/node_modules/@opentelemetry', import.meta.url)));
    receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new StatefulDecoder() });
  });
  after(() => receiver.close(100));

  const cases = [
    ['StatefulLogRecordProcessor', (url) => new StatefulLogRecordProcessor({ url, maxExportBatchSize: 64 })],
    ['SDK BatchLogRecordProcessor + StatefulLogExporter', (url) => new BatchLogRecordProcessor({ exporter: new StatefulLogExporter({ url }), maxExportBatchSize: 64 })],
  ];
  for (const [name, makeProcessor] of cases) {
    it(`${name}: every field of every record`, async () => {
      sink.clear();
      const records = fixture();
      const provider = new LoggerProvider({
        resource,
        logRecordLimits: { attributeCountLimit: LIMIT },
        processors: [makeProcessor(`http://127.0.0.1:${receiver.port}`)],
      });
      emitAll(provider, records);
      await provider.shutdown();
      assert.equal(sink.records.length, records.length);
      records.forEach((r, i) => assert.deepStrictEqual(plain(sink.records[i]), plain(expectedFor(r)), `record[${i}]`));
    });
  }
});

describe('register entry on the 0.2xx line (global set through @opentelemetry/api-logs)', () => {
  it('node --import otel-stateful-logs/register: env-only, flushed at exit', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const sink = new MemorySink();
    const receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new StatefulDecoder() });
    try {
      await promisify(execFile)(process.execPath, ['--import', 'otel-stateful-logs/register', 'register-app.mjs'], {
        cwd: new URL('.', import.meta.url).pathname,
        env: { ...process.env, OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT: `http://127.0.0.1:${receiver.port}`, OTEL_SERVICE_NAME: 'legacy', OTEL_BLRP_SCHEDULE_DELAY: '50' },
        timeout: 30_000,
      });
      assert.equal(sink.records.length, 1);
      const r = sink.records[0];
      assert.equal(r.body, 'hello from api-logs');
      assert.deepStrictEqual(r.scope, { name: 'legacy-app', version: '0.1.0' });
      assert.deepStrictEqual(r.attributes, { line: '0.2xx' });
      assert.equal(r.resource.attributes['service.name'], 'legacy');
      assert.equal(r.resource.attributes['telemetry.sdk.version'], '2.12.1');
    } finally {
      await receiver.close(100);
    }
  });
});
