/**
 * The sender against a real receiver on loopback (real gRPC server, real sockets):
 * ordering, acks, rotation with snapshot, backpressure, flush/shutdown reports.
 * Uses the small test codec; end-to-end runs with the real codec live in test/faults.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningReceiver } from '../../src/receiver/server';
import type { StreamTransport } from '../../src/transport/stream-worker';
import { makeRecord, seqOf, SimpleEncoder } from './helpers/simple-codec';
import { startTestReceiver, submitRange, testTransport } from './helpers/loopback';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(recvOpts = {}, txOpts = {}) {
  const { receiver, sink } = await startTestReceiver(recvOpts);
  const t = testTransport(receiver.address, txOpts);
  cleanups.push(() => receiver.close(100));
  cleanups.push(() => t.shutdown(1000));
  return { receiver, sink, t };
}

function seqs(records: Array<{ body?: unknown }>): number[] {
  return records.map((r) => seqOf(r.body));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe('StreamTransport on loopback', () => {
  for (const compression of ['zstd', 'gzip', 'none', 'deflate-stream'] as const) {
    it(`delivers every record once, in order (${compression})`, async () => {
      // arrange
      const { sink, t } = await setup({}, { compression });
      const enc = new SimpleEncoder();
      // act
      await submitRange(t, enc, 0, 2000, 100);
      const report = await t.flush(5000);
      // assert
      expect(report.ok).toBe(true);
      expect(report.ackedRecords).toBe(2000);
      expect(report.ackedBatches).toBe(20);
      expect(seqs(sink.records)).toEqual(range(2000));
      expect(sink.records[5]).toEqual(makeRecord(5));
      expect(report.resentBatches).toBe(0);
      expect(report.streamsOpened).toBe(1);
    });
  }

  it.each(['zstd', 'deflate-stream'] as const)('rotates streams: drains acks, opens the next with the acked-state snapshot, sends nothing twice (%s)', async (compression) => {
    const { sink, receiver, t } = await setup({}, { streamLifetimeMillis: 60, compression });
    // Few patterns, defined early: later batches only reference them, so a new stream
    // decodes only if the snapshot carried them.
    const enc = new SimpleEncoder();
    for (let i = 0; i < 40; i++) {
      await submitRange(t, enc, i * 50, (i + 1) * 50, 25);
      await new Promise((r) => setTimeout(r, 10));
    }
    const report = await t.flush(5000);
    expect(report.ok).toBe(true);
    expect(report.rotations).toBeGreaterThan(2);
    expect(report.streamsOpened).toBeGreaterThan(2);
    expect(report.resentBatches).toBe(0);
    expect(seqs(sink.records)).toEqual(range(2000));
    expect(receiver.stats().rejected).toEqual({});
    expect(t.snapshotSize).toBe(37);
  });

  it('keeps the snapshot in step with pattern deletes across rotations', async () => {
    const { sink, t } = await setup({}, { streamLifetimeMillis: 50 });
    const enc = new SimpleEncoder(10); // 37 templates, room for 10: constant define/delete churn
    for (let i = 0; i < 20; i++) {
      await submitRange(t, enc, i * 100, (i + 1) * 100, 50);
      await new Promise((r) => setTimeout(r, 8));
    }
    const report = await t.flush(5000);
    expect(report.ok).toBe(true);
    expect(report.rotations).toBeGreaterThan(1);
    expect(seqs(sink.records)).toEqual(range(2000));
    expect(t.snapshotSize).toBe(10);
  });

  it('ends an idle stream (so the process can exit) and reopens with the snapshot on the next batch', async () => {
    const { sink, t } = await setup({}, { idleTimeoutMillis: 40 });
    const enc = new SimpleEncoder();
    await submitRange(t, enc, 0, 500, 100);
    expect((await t.flush(3000)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(t.stats().idleCloses).toBe(1);
    await submitRange(t, enc, 500, 1000, 100); // references patterns defined on the first stream
    const report = await t.flush(3000);
    expect(report.ok).toBe(true);
    expect(report.streamsOpened).toBe(2);
    expect(report.resentBatches).toBe(0);
    expect(seqs(sink.records)).toEqual(range(1000));
  });

  it('applies backpressure: the window never exceeds its count and byte limits', async () => {
    const slowSink = new (await import('../../src/receiver/sinks/memory-sink')).MemorySink();
    const origWrite = slowSink.write.bind(slowSink);
    slowSink.write = async (recs, ctx) => {
      await new Promise((r) => setTimeout(r, 5));
      origWrite(recs, ctx);
    };
    const { t } = await setup({ sink: slowSink }, { maxInflightBatches: 4, maxInflightBytes: 64 * 1024 });
    const enc = new SimpleEncoder();
    let maxPending = 0;
    for (let i = 0; i < 60; i++) {
      await submitRange(t, enc, i * 50, (i + 1) * 50, 50);
      maxPending = Math.max(maxPending, t.stats().pendingBatches);
    }
    const report = await t.flush(10_000);
    expect(report.ok).toBe(true);
    expect(report.peakInflightBatches).toBeLessThanOrEqual(4);
    expect(report.peakInflightBytes).toBeLessThanOrEqual(64 * 1024);
    expect(maxPending).toBeLessThanOrEqual(4);
    expect(seqs(slowSink.records)).toEqual(range(3000));
  });

  it('reports what it could not deliver when the receiver is gone, and drops it (counted) at shutdown', async () => {
    const { receiver, t } = await setup({}, { connectTimeoutMillis: 200 });
    const enc = new SimpleEncoder();
    await submitRange(t, enc, 0, 100, 50);
    expect((await t.flush(3000)).ok).toBe(true);
    await receiver.close(50);
    await submitRange(t, enc, 100, 300, 50);
    const flushed = await t.flush(300);
    expect(flushed.ok).toBe(false);
    expect(flushed.timedOut).toBe(true);
    expect(flushed.pendingRecords).toBe(200);
    const final = await t.shutdown(200);
    expect(final.droppedRecords).toBe(200);
    expect(final.dropReasons).toEqual({ 'shutdown before acknowledgement': 200 });
    expect(final.ackedRecords).toBe(100);
    await expect(t.submit(enc.encode([makeRecord(1)]))).rejects.toThrow(/shutdown/);
    expect(await t.shutdown(10)).toEqual(final); // idempotent
  });
});
