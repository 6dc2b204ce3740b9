/**
 * A slow receiver: the transport's window fills, the exporter's export waits, the
 * processor holds further batches, its bounded queue fills, and what does not fit is
 * dropped — counted (metric + diag.warn), never silent, never unbounded memory. Every
 * record is either delivered or counted as dropped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogRecordData } from '../../src/encoder/log-record';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulLogRecordProcessor } from '../../src/processor/stateful-log-record-processor';
import { startReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import type { SinkContext } from '../../src/receiver/sinks/sink';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';
import { metricsHarness } from '../helpers/metrics';

class SlowSink extends MemorySink {
  override async write(records: LogRecordData[], ctx: SinkContext): Promise<void> {
    await sleep(40);
    super.write(records, ctx);
  }
}

describe('backpressure from a slow receiver', () => {
  let cap: DiagCapture;
  beforeEach(() => { cap = captureDiag(); });
  afterEach(() => cap.restore());

  it('reaches the processor queue; overflow is counted and warned about; the rest is delivered', async () => {
    // arrange
    const sink = new SlowSink();
    const receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new StatefulDecoder() });
    const metrics = metricsHarness();
    const processor = new StatefulLogRecordProcessor({
      url: `http://127.0.0.1:${receiver.port}`,
      maxQueueSize: 50,
      maxExportBatchSize: 10,
      scheduledDelayMillis: 5,
      meterProvider: metrics.meterProvider,
      transport: { maxInflightBatches: 2 },
    });
    const provider = new LoggerProvider({ processors: [processor] });
    const logger = provider.getLogger('burst');
    // act: 1,000 records in bursts of 100, far faster than 10 records / 40 ms
    for (let i = 0; i < 1000; i++) {
      logger.emit({ body: `request ${i} served in ${i % 97} ms` });
      if (i % 100 === 99) await sleep(1);
    }
    await provider.shutdown();
    await receiver.close(100);
    // assert
    const delivered = sink.records.length;
    const dropped = await metrics.sum('otel.sdk.processor.log.processed', { 'error.type': 'queue_full' });
    expect(dropped).toBeGreaterThan(0);
    expect(delivered + dropped).toBe(1000);
    expect(await metrics.sum('otel.sdk.processor.log.processed', { 'error.type': undefined })).toBe(delivered);
    expect(cap.warn.join('\n')).toMatch(/queue full/);
    // Delivered records are in order, none twice.
    const ids = sink.records.map((r) => Number(/request (\d+)/.exec(String(r.body))![1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
