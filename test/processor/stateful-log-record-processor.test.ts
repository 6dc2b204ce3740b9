import { setTimeout as sleep } from 'node:timers/promises';
import { SeverityNumber } from '@opentelemetry/api';
import { LoggerProvider, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatefulLogRecordProcessor } from '../../src/processor/stateful-log-record-processor';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';
import { FakeExporter } from '../helpers/fake-exporter';
import { metricsHarness } from '../helpers/metrics';

const PROCESSED = 'otel.sdk.processor.log.processed';

function setup(opts: ConstructorParameters<typeof StatefulLogRecordProcessor>[0] = {}, before: LogRecordProcessor[] = []) {
  const exporter = new FakeExporter();
  const metrics = metricsHarness();
  const processor = new StatefulLogRecordProcessor({ exporter, meterProvider: metrics.meterProvider, ...opts });
  const provider = new LoggerProvider({ processors: [...before, processor] });
  const logger = provider.getLogger('test-scope', '1.0.0');
  const emit = (n: number, from = 0) => {
    for (let i = from; i < from + n; i++) logger.emit({ body: `line ${i}`, severityNumber: SeverityNumber.INFO });
  };
  return { exporter, metrics, processor, provider, logger, emit };
}

describe('StatefulLogRecordProcessor', () => {
  let cap: DiagCapture;
  beforeEach(() => { cap = captureDiag(); });
  afterEach(() => cap.restore());

  it('exports in batches of maxExportBatchSize, in emit order', async () => {
    const { exporter, provider, emit } = setup({ maxExportBatchSize: 3, scheduledDelayMillis: 60_000 });
    emit(7);
    await provider.forceFlush();
    expect(exporter.batches.map((b) => b.length).reduce((a, b) => a + b)).toBe(7);
    expect(exporter.batches.every((b) => b.length <= 3)).toBe(true);
    expect(exporter.batches.flat()).toEqual(Array.from({ length: 7 }, (_, i) => `line ${i}`));
    expect(exporter.forceFlushCalls).toBe(1);
  });

  it('never exports inside onEmit: a full batch drains on a later macrotask', async () => {
    const { exporter, emit } = setup({ maxExportBatchSize: 4, scheduledDelayMillis: 60_000 });
    emit(4);
    expect(exporter.batches).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    await sleep(5);
    expect(exporter.batches).toEqual([['line 0', 'line 1', 'line 2', 'line 3']]);
  });

  it('exports a partial batch after scheduledDelayMillis without a flush', async () => {
    const { exporter, emit } = setup({ maxExportBatchSize: 100, scheduledDelayMillis: 20 });
    emit(2);
    await sleep(5);
    expect(exporter.batches).toHaveLength(0);
    await sleep(80);
    expect(exporter.batches).toEqual([['line 0', 'line 1']]);
  });

  it('drops what does not fit the queue, counts it and warns once with the count and reason', async () => {
    const { exporter, metrics, processor, emit } = setup({ maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMillis: 60_000 });
    exporter.mode = 'hang';
    emit(5); // one full batch: taken by the (hanging) export
    await sleep(10);
    expect(exporter.hanging).toHaveLength(1);
    emit(12, 5); // 5 fit the queue, 7 are dropped
    expect(await metrics.sum(PROCESSED, { 'error.type': 'queue_full' })).toBe(7);
    expect(await metrics.sum('otel.sdk.processor.log.queue.size')).toBe(5);
    expect(await metrics.sum('otel.sdk.processor.log.queue.capacity')).toBe(5);
    expect(cap.warn).toHaveLength(1); // throttled: the first drop reports at once
    expect(cap.warn[0]).toMatch(/dropped 1 log record: 1 queue full/);
    // Later drops are summed into the next report (here forced by shutdown).
    exporter.hanging[0]!({ code: 0 });
    exporter.mode = 'succeed';
    await processor.shutdown();
    expect(cap.warn.at(-1)).toMatch(/dropped 6 log records: 6 queue full/);
    expect(await metrics.sum(PROCESSED)).toBe(17);
    expect(await metrics.sum(PROCESSED, { 'error.type': undefined })).toBe(10);
  });

  it('counts a failed export with its reason and keeps going', async () => {
    const { exporter, metrics, provider, emit } = setup({ maxExportBatchSize: 2 });
    exporter.mode = 'fail';
    emit(2);
    await provider.forceFlush();
    exporter.mode = 'succeed';
    emit(2, 2);
    await provider.forceFlush();
    expect(exporter.batches).toEqual([['line 0', 'line 1'], ['line 2', 'line 3']]);
    expect(await metrics.sum(PROCESSED, { 'error.type': 'export_failed' })).toBe(2);
    expect(cap.warn.join('\n')).toMatch(/dropped 2 log records: 2 export failed: receiver said no/);
  });

  it('a slow export holds later batches (backpressure), is warned about, and is given up at shutdown', async () => {
    const { exporter, metrics, processor, emit } = setup({ maxExportBatchSize: 1, exportTimeoutMillis: 40, scheduledDelayMillis: 1 });
    exporter.mode = 'hang';
    emit(3);
    await vi.waitFor(() => expect(cap.warn.join('\n')).toMatch(/export of 1 records has not completed after 40 ms/), { timeout: 5000 });
    // One export in progress, the other records wait in the queue: no pile of exports.
    expect(exporter.batches).toEqual([['line 0']]);
    expect(await metrics.sum('otel.sdk.processor.log.queue.size')).toBe(2);
    // Late success still counts as success.
    exporter.hanging[0]!({ code: 0 });
    await sleep(20);
    expect(exporter.batches).toEqual([['line 0'], ['line 1']]);
    expect(await metrics.sum(PROCESSED, { 'error.type': undefined })).toBe(1);
    // Shutdown does not wait forever: the stuck export is counted as timed out.
    await processor.shutdown();
    expect(await metrics.sum(PROCESSED, { 'error.type': 'timeout' })).toBe(1);
    expect(await metrics.sum(PROCESSED, { 'error.type': 'shutdown' })).toBe(1);
    expect(await metrics.sum(PROCESSED)).toBe(3);
  });

  it('an exporter that throws never reaches the app', async () => {
    const { exporter, metrics, provider, emit } = setup({ maxExportBatchSize: 1 });
    exporter.mode = 'throw';
    expect(() => emit(3)).not.toThrow();
    await provider.forceFlush();
    expect(await metrics.sum(PROCESSED, { 'error.type': 'export_failed' })).toBe(3);
  });

  it('shutdown flushes, shuts the exporter down once, and is idempotent', async () => {
    const { exporter, metrics, processor, provider, emit } = setup({ scheduledDelayMillis: 60_000 });
    emit(3);
    const a = processor.shutdown();
    const b = processor.shutdown();
    expect(a).toBe(b);
    await Promise.all([a, b, provider.shutdown()]);
    expect(exporter.batches.flat()).toEqual(['line 0', 'line 1', 'line 2']);
    expect(exporter.shutdownCalls).toBe(1);
    expect(processor.forceFlush()).toBe(a);
    // Records emitted after shutdown are counted as dropped, not silently lost.
    processor.onEmit({ body: 'late' } as unknown as ReadWriteLogRecord);
    expect(await metrics.sum(PROCESSED, { 'error.type': 'shutdown' })).toBe(1);
  });

  it('forceFlush under constant logging still finishes', async () => {
    const { exporter, provider, logger } = setup({ maxExportBatchSize: 10, scheduledDelayMillis: 1 });
    let stop = false;
    const spam = setInterval(() => { if (!stop) for (let i = 0; i < 20; i++) logger.emit({ body: 'spam' }); }, 1);
    await sleep(20);
    await provider.forceFlush();
    stop = true;
    clearInterval(spam);
    expect(exporter.batches.length).toBeGreaterThan(0);
  });

  it('a bad env value warns once, though the processor and its default exporter both resolve the config', () => {
    const saved = process.env.OTEL_BLRP_MAX_QUEUE_SIZE;
    process.env.OTEL_BLRP_MAX_QUEUE_SIZE = 'lots';
    try {
      const p = new StatefulLogRecordProcessor({ url: 'http://127.0.0.1:1' });
      expect(cap.warn.filter((w) => w.includes('OTEL_BLRP_MAX_QUEUE_SIZE'))).toHaveLength(1);
      void p.shutdown();
    } finally {
      if (saved === undefined) delete process.env.OTEL_BLRP_MAX_QUEUE_SIZE;
      else process.env.OTEL_BLRP_MAX_QUEUE_SIZE = saved;
    }
  });

  it('chains with other processors: an enricher before it, a filter wrapped around it', async () => {
    const exporter = new FakeExporter();
    const inner = new StatefulLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 });
    const enrich: LogRecordProcessor = {
      onEmit: (r) => { r.setAttribute('enriched', true); },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const filter: LogRecordProcessor = {
      onEmit: (r, ctx) => { if ((r.severityNumber ?? 0) >= SeverityNumber.INFO) inner.onEmit(r, ctx); },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
    const provider = new LoggerProvider({ processors: [enrich, filter] });
    const logger = provider.getLogger('chain');
    logger.emit({ body: 'debug noise', severityNumber: SeverityNumber.DEBUG });
    logger.emit({ body: 'kept', severityNumber: SeverityNumber.WARN });
    await provider.forceFlush();
    expect(exporter.batches).toEqual([['kept']]);
    expect(exporter.records[0]!.attributes).toEqual({ enriched: true });
    await provider.shutdown();
    expect(exporter.shutdownCalls).toBe(1);
  });
});
