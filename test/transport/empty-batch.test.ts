/**
 * Batches that carry nothing on a `deflate-stream` stream: an empty payload (a batch of no
 * records and no state changes) must be accepted by the receiver — zlib refuses an output
 * limit of 0 — and an oversized batch with no state changes must not be replaced by such an
 * empty frame at all. Real transport and receiver on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord, SimpleEncoder } from './helpers/simple-codec';
import { startTestReceiver, submitRange, testTransport } from './helpers/loopback';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('empty batches on a deflate-stream stream', () => {
  it('an empty payload is acknowledged like any batch; the stream lives on', async () => {
    const { receiver, sink } = await startTestReceiver();
    cleanups.push(() => receiver.close(100));
    const t = testTransport(receiver.address, { compression: 'deflate-stream' });
    cleanups.push(() => t.shutdown(1000));
    const enc = new SimpleEncoder();
    await submitRange(t, enc, 0, 20, 10);
    await t.submit(enc.encode([]));
    await submitRange(t, enc, 20, 40, 10);
    const report = await t.flush(5000);
    expect(report.ok).toBe(true);
    expect(report.streamFailures).toBe(0);
    expect(report.ackedBatches).toBe(5);
    expect(receiver.stats().rejected).toEqual({});
    expect(sink.records).toEqual(Array.from({ length: 40 }, (_, i) => makeRecord(i)));
  });

  it('an oversized batch without state changes is refused alone: no frame, no stream failure', async () => {
    const { receiver, sink } = await startTestReceiver();
    cleanups.push(() => receiver.close(100));
    const t = testTransport(receiver.address, { compression: 'deflate-stream', maxBatchBytes: 2000 });
    cleanups.push(() => t.shutdown(1000));
    const enc = new SimpleEncoder();
    await submitRange(t, enc, 0, 10, 10); // defines the patterns of templates 0-9
    const big = enc.encode(Array.from({ length: 100 }, (_, i) => makeRecord(10 + i, i % 10))); // known patterns only
    expect(big.stateChanges).toEqual([]);
    await expect(t.submit(big)).rejects.toThrow(/exceeds maxBatchBytes 2000; 100 records dropped/);
    await submitRange(t, enc, 110, 120, 10);
    const report = await t.flush(5000);
    expect(report.streamFailures).toBe(0);
    expect(report.droppedRecords).toBe(100);
    expect(report.ackedBatches).toBe(2);
    expect(receiver.stats().framesByCompression).toEqual({ 'deflate-stream': 2 });
    expect(sink.records).toEqual([...Array.from({ length: 10 }, (_, i) => makeRecord(i)), ...Array.from({ length: 10 }, (_, i) => makeRecord(110 + i))]);
  });
});
