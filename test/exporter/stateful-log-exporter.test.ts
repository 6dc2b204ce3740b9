/**
 * NOTE: these tests check the exporter's wiring (config -> encoder -> transport -> result
 * callbacks, env-only construction, shutdown semantics, self-metrics) against a real
 * receiver on loopback. Encoding details are tested in test/encoder, delivery (acks,
 * reconnect, replay) in test/transport.
 */
import { randomBytes } from 'node:crypto';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ExportResult } from '@opentelemetry/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulLogExporter } from '../../src/exporter/stateful-log-exporter';
import { startReceiver, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';
import { metricsHarness } from '../helpers/metrics';

const decoderFactory = () => new StatefulDecoder();

/** Real SDK records, captured from a provider. */
function makeRecords(n: number, prefix = 'line'): ReadableLogRecord[] {
  const out: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = { onEmit: (r) => { out.push(r); }, forceFlush: async () => {}, shutdown: async () => {} };
  const logger = new LoggerProvider({ processors: [capture] }).getLogger('wiring');
  for (let i = 0; i < n; i++) logger.emit({ body: `${prefix} ${i} done in ${i * 3} ms`, attributes: { i } });
  return out;
}

function exportAsync(e: StatefulLogExporter, records: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve) => e.export(records, resolve));
}

describe('StatefulLogExporter (wiring)', () => {
  let receiver: RunningReceiver;
  const sink = new MemorySink();
  let cap: DiagCapture;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory });
  });
  afterAll(() => receiver.close(100));
  beforeEach(() => {
    sink.clear();
    cap = captureDiag();
  });
  afterEach(() => {
    cap.restore();
    process.env = { ...savedEnv };
  });

  it('exports: SUCCESS once accepted, records at the receiver after forceFlush', async () => {
    // arrange
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}` });
    // act
    const r1 = await exportAsync(exporter, makeRecords(10));
    const r2 = await exportAsync(exporter, makeRecords(5, 'more'));
    await exporter.forceFlush();
    // assert
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect(sink.records.map((r) => r.body)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `line ${i} done in ${i * 3} ms`),
      ...Array.from({ length: 5 }, (_, i) => `more ${i} done in ${i * 3} ms`),
    ]);
    await exporter.shutdown();
  });

  it('works from the environment alone (endpoint, headers, compression)', async () => {
    // arrange: a receiver that demands a token, given only through env
    const tokenSink = new MemorySink();
    const secured = await startReceiver({ listen: '127.0.0.1:0', sink: tokenSink, decoderFactory, token: 's3cret' });
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_ENDPOINT = `http://127.0.0.1:${secured.port}`;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'authorization=Bearer%20s3cret';
    process.env.OTEL_EXPORTER_STATEFUL_LOGS_COMPRESSION = 'gzip';
    // act
    const exporter = new StatefulLogExporter();
    const result = await exportAsync(exporter, makeRecords(3));
    await exporter.shutdown();
    await secured.close(100);
    // assert
    expect(result.code).toBe(0);
    expect(tokenSink.records).toHaveLength(3);
    expect(cap.warn).toEqual([]);
  });

  it('after shutdown: FAILED with an error, and shutdown is idempotent', async () => {
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}` });
    await exportAsync(exporter, makeRecords(2));
    const a = exporter.shutdown();
    expect(exporter.shutdown()).toBe(a);
    await a;
    expect(sink.records).toHaveLength(2);
    const late = await exportAsync(exporter, makeRecords(1));
    expect(late.code).toBe(1);
    expect(late.error?.message).toMatch(/shut down/);
  });

  it('a permanent error (wrong token) turns later exports into FAILED', async () => {
    const secured = await startReceiver({ listen: '127.0.0.1:0', sink: new MemorySink(), decoderFactory, token: 'right' });
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${secured.port}`, headers: { authorization: 'Bearer wrong' }, exportTimeoutMillis: 3000 });
    await exportAsync(exporter, makeRecords(2));
    await exporter.forceFlush();
    const later = await exportAsync(exporter, makeRecords(1));
    await exporter.shutdown();
    await secured.close(100);
    expect(later.code).toBe(1);
    expect(cap.warn.join('\n')).toMatch(/not delivered/);
  });

  it('reports undelivered records at shutdown when the receiver is down', async () => {
    // arrange: a port with nobody listening
    const dead = await startReceiver({ listen: '127.0.0.1:0', sink: new MemorySink(), decoderFactory });
    const port = dead.port;
    await dead.close(0);
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${port}`, exportTimeoutMillis: 300, timeoutMillis: 200 });
    // act
    const result = await exportAsync(exporter, makeRecords(4));
    await exporter.shutdown();
    // assert: accepted (the transport would retry), then reported as not delivered
    expect(result.code).toBe(0);
    expect(cap.warn.join('\n')).toMatch(/shutdown: 4 of 4 records were not delivered/);
    expect(exporter.stats().transport.droppedRecords).toBe(4);
  });

  it('megabyte bodies: the export is split so the rest is not dropped with them', async () => {
    // arrange: incompressible 600 kB bodies, a transport limit of 1 MiB per compressed batch
    const big = () => randomBytes(450_000).toString('base64');
    const records: ReadableLogRecord[] = [];
    const capture: LogRecordProcessor = { onEmit: (r) => { records.push(r); }, forceFlush: async () => {}, shutdown: async () => {} };
    const logger = new LoggerProvider({ processors: [capture] }).getLogger('big');
    for (let i = 0; i < 6; i++) logger.emit({ body: i % 2 ? `small ${i}` : big() });
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}`, transport: { maxBatchBytes: 1024 * 1024 } });
    // act
    const result = await exportAsync(exporter, records);
    await exporter.shutdown();
    // assert
    expect(result.code).toBe(0);
    expect(sink.records.map((r) => r.body)).toEqual(records.map((r) => r.body));
  });

  it('records self-metrics when given a MeterProvider', async () => {
    const metrics = metricsHarness();
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}`, meterProvider: metrics.meterProvider });
    await exportAsync(exporter, makeRecords(20));
    await exporter.forceFlush();
    expect(await metrics.sum('otel.sdk.exporter.log.exported', { 'error.type': undefined })).toBe(20);
    expect(await metrics.sum('otel.sdk.exporter.log.inflight')).toBe(0);
    const ratio = metrics.points('otel_stateful_logs.exporter.compression.ratio');
    expect(ratio).toHaveLength(1);
    expect(ratio[0]!.value).toBeGreaterThan(0);
    expect(ratio[0]!.attributes['server.port']).toBe(receiver.port);
    await exporter.shutdown();
  });

  it('compression ratio: exactly the UTF-8 bytes of the string bodies over the bytes sent, also when an export is split', async () => {
    // arrange: non-ASCII string bodies (2-, 3- and 4-byte characters) and a non-string body, in
    // an export over half of maxBatchBytes, so the exporter cuts it into several runs
    const bodies: unknown[] = [];
    for (let i = 0; i < 12; i++) bodies.push(`${i} ${'é€😀'.repeat(300 + i)} done`);
    bodies.push({ not: 'a string' });
    const records: ReadableLogRecord[] = [];
    const capture: LogRecordProcessor = { onEmit: (r) => { records.push(r); }, forceFlush: async () => {}, shutdown: async () => {} };
    const logger = new LoggerProvider({ processors: [capture] }).getLogger('ratio');
    for (const body of bodies) logger.emit({ body: body as string });
    const metrics = metricsHarness();
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}`, meterProvider: metrics.meterProvider, transport: { maxBatchBytes: 16 * 1024 } });
    // act
    const result = await exportAsync(exporter, records);
    await exporter.forceFlush();
    await metrics.collect();
    // assert
    expect(result.code).toBe(0);
    const stats = exporter.stats().transport;
    expect(stats.submittedBatches).toBeGreaterThan(1);
    const bodyBytes = bodies.reduce<number>((n, b) => n + (typeof b === 'string' ? Buffer.byteLength(b, 'utf8') : 0), 0);
    expect(metrics.points('otel_stateful_logs.exporter.compression.ratio')[0]!.value).toBe(bodyBytes / stats.bytesSent);
    await exporter.shutdown();
  });
});
