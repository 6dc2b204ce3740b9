/**
 * A record too large for the transport (compressed batch over maxBatchBytes) is dropped and
 * must be counted exactly once across the pipeline's self-metrics — by the transport, seen as
 * `otel.sdk.exporter.log.exported{error.type=batch_too_large}` — not again by the exporter
 * (`submit_failed`) nor by the processor (`export_failed`, which also swept in the records of
 * the same export that were delivered), and said once through the throttled drop warning.
 * Real processor, exporter, transport and receiver on loopback.
 */
import { randomBytes } from 'node:crypto';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulLogRecordProcessor } from '../../src/processor/stateful-log-record-processor';
import { startReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';
import { metricsHarness } from '../helpers/metrics';

let cap: DiagCapture | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  cap?.restore();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('drop counting (batch over maxBatchBytes)', () => {
  it('counts each dropped record once, says it once, and delivers the rest of the export', async () => {
    // arrange
    const sink = new MemorySink();
    const receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new StatefulDecoder() });
    cleanups.push(() => receiver.close(100));
    cap = captureDiag();
    const metrics = metricsHarness();
    const processor = new StatefulLogRecordProcessor({
      url: `http://127.0.0.1:${receiver.port}`,
      meterProvider: metrics.meterProvider,
      transport: { maxBatchBytes: 20_000 },
    });
    cleanups.push(() => processor.shutdown());
    const logger = new LoggerProvider({ processors: [processor] }).getLogger('drops');
    // act: one export of 21 records, one of them an incompressible 60 kB body
    for (let i = 0; i < 10; i++) logger.emit({ body: `small ${i}` });
    logger.emit({ body: randomBytes(30_000).toString('hex') });
    for (let i = 10; i < 20; i++) logger.emit({ body: `small ${i}` });
    await processor.forceFlush();
    // assert: the 20 others arrived
    expect(sink.records.map((r) => r.body)).toEqual(Array.from({ length: 20 }, (_, i) => `small ${i}`));
    await metrics.collect();
    const failures = (name: string) =>
      metrics.points(name).filter((p) => p.attributes['error.type'] !== undefined).map((p) => [p.attributes['error.type'], p.value]);
    // the one drop, counted once, by its real reason
    expect(failures('otel.sdk.exporter.log.exported')).toEqual([['batch_too_large', 1]]);
    expect(await metrics.sum('otel.sdk.exporter.log.exported', { 'error.type': undefined })).toBe(20);
    // the processor handed all 21 to the exporter (semconv: processed at hand-off) and lost none itself
    expect(failures('otel.sdk.processor.log.processed')).toEqual([]);
    expect(await metrics.sum('otel.sdk.processor.log.processed', { 'error.type': undefined })).toBe(21);
    // one warning, saying how many and why; no other line about the same drop
    const about = [...cap.warn, ...cap.error].filter((l) => /maxBatchBytes|dropped/.test(l));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatch(/dropped 1 log record: .*over maxBatchBytes 20000/);
  });
});
