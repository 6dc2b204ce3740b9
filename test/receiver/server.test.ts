/**
 * The receiver against real gRPC clients on loopback: auth, per-stream limits, bad
 * frames, independent per-stream state, sink failures. The server must survive all.
 */
import crypto from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchStatus, BatchStatus_Status, Compression, StatefulBatch } from '../../src/proto/otel_stateful_logs/v1/stateful_logs';
import { makeTokenCheck, type RunningReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { makeRecord, seqOf, SimpleEncoder } from '../transport/helpers/simple-codec';
import { startTestReceiver, submitRange, testTransport } from '../transport/helpers/loopback';
import { makeEncoder } from '../transport/helpers/codecs';

const PATH = '/otel_stateful_logs.v1.StatefulLogsService/LogsStream';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(o = {}): Promise<{ r: RunningReceiver; sink: MemorySink }> {
  const { receiver: r, sink } = await startTestReceiver(o);
  cleanups.push(() => r.close(50));
  return { r, sink };
}

/** A raw bidi call that sends whatever bytes it is given, and collects statuses. */
function rawCall(address: string, md = new grpc.Metadata()) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  cleanups.push(() => client.close());
  const call = client.makeBidiStreamRequest<Buffer, BatchStatus>(PATH, (b) => b, (b) => BatchStatus.decode(b), md);
  const acks: BatchStatus[] = [];
  call.on('data', (s: BatchStatus) => acks.push(s));
  call.on('error', () => undefined);
  const done = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  return { call, acks, done };
}

function frame(b: Partial<StatefulBatch>): Buffer {
  return Buffer.from(StatefulBatch.encode({ batchId: 1, data: Buffer.alloc(0), compression: Compression.COMPRESSION_NONE, uncompressedSize: 0, recordCount: 0, ...b }).finish());
}

function batchFrame(id: number, enc: SimpleEncoder, from: number, n: number): Buffer {
  const b = enc.encode(Array.from({ length: n }, (_, i) => makeRecord(from + i)));
  return frame({ batchId: id, data: Buffer.from(b.payload), uncompressedSize: b.payload.byteLength, recordCount: b.recordCount });
}

async function stillServes(r: RunningReceiver, sink: MemorySink): Promise<void> {
  const t = testTransport(r.address);
  const before = sink.records.length;
  await t.submit(new SimpleEncoder().encode(Array.from({ length: 10 }, (_, i) => makeRecord(i, 0))));
  expect((await t.shutdown(3000)).ok).toBe(true);
  expect(sink.records.length).toBe(before + 10);
}

describe('receiver', () => {
  it('checks the bearer token; a wrong one is a permanent error on the sender', async () => {
    const { r, sink } = await receiver({ token: 's3cret' });
    const bad = testTransport(r.address, { token: 'wrong' });
    await submitRange(bad, new SimpleEncoder(), 0, 10, 10);
    const report = await bad.flush(3000);
    expect(report.ok).toBe(false);
    expect(report.lastError).toMatch(/UNAUTHENTICATED/);
    expect(report.dropReasons).toEqual({ 'permanent error: UNAUTHENTICATED: missing or invalid bearer token': 10 });
    await expect(bad.submit(new SimpleEncoder().encode([makeRecord(1)]))).rejects.toThrow(/permanent error: UNAUTHENTICATED/);
    await bad.shutdown(100);
    expect(r.stats().authFailures).toBe(1);
    expect(sink.records).toHaveLength(0);

    const good = testTransport(r.address, { token: 's3cret' });
    await submitRange(good, new SimpleEncoder(), 0, 10, 10);
    expect((await good.shutdown(3000)).ok).toBe(true);
    expect(sink.records).toHaveLength(10);
  });

  it('token check compares in constant time over hashes', () => {
    const check = makeTokenCheck('abc');
    const md = (v?: string) => { const m = new grpc.Metadata(); if (v !== undefined) m.set('authorization', v); return m; };
    expect(check(md('Bearer abc'))).toBe(true);
    expect(check(md('Bearer abd'))).toBe(false);
    expect(check(md('abc'))).toBe(false);
    expect(check(md())).toBe(false);
    expect(check(md('Bearer ' + crypto.randomBytes(5000).toString('hex')))).toBe(false);
  });

  it('answers garbage frames with an error status, never a crash, and keeps serving', async () => {
    const { r, sink } = await receiver();
    // A truncated length-delimited field can never parse.
    const broken = rawCall(r.address);
    broken.call.write(Buffer.concat([Buffer.from([0x12, 0xff, 0xff, 0x0f]), crypto.randomBytes(64)]));
    expect((await broken.done).code).toBe(grpc.status.INTERNAL);
    // A well-formed frame whose payload is noise.
    const noise = rawCall(r.address);
    const junk = crypto.randomBytes(200);
    noise.call.write(frame({ batchId: 1, data: junk, uncompressedSize: junk.length, recordCount: 3 }));
    expect((await noise.done).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(noise.acks[0]!.status).toBe(BatchStatus_Status.INVALID_ARGUMENT);
    // Pure random frames: random bytes may happen to parse (unknown fields are skipped),
    // so each stream must end either with an error status or with a proper ack.
    for (let i = 0; i < 30; i++) {
      const c = rawCall(r.address);
      c.call.write(crypto.randomBytes(1 + Math.floor(Math.random() * 500)));
      c.call.end();
      const st = await c.done;
      if (st.code === grpc.status.OK) expect(c.acks.map((a) => a.status)).toEqual([BatchStatus_Status.OK]);
    }
    await stillServes(r, sink);
  });

  it('refuses out-of-order batch ids with INVALID_ARGUMENT, naming the batch', async () => {
    const { r } = await receiver();
    const enc = new SimpleEncoder();
    const { call, acks, done } = rawCall(r.address);
    call.write(batchFrame(1, enc, 0, 5));
    call.write(batchFrame(3, enc, 5, 5));
    const st = await done;
    expect(acks.map((a) => [a.batchId, a.status])).toEqual([[1, BatchStatus_Status.OK], [3, BatchStatus_Status.INVALID_ARGUMENT]]);
    expect(acks[1]!.message).toMatch(/batch id 3 out of order, expected 2/);
    expect(st.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('refuses a frame whose declared size is a lie (no inflating past it)', async () => {
    const { r, sink } = await receiver();
    const { call, acks, done } = rawCall(r.address);
    const zipped = (await import('node:zlib')).gzipSync(Buffer.alloc(1 << 20));
    call.write(frame({ batchId: 1, data: zipped, compression: Compression.COMPRESSION_GZIP, uncompressedSize: 100 }));
    const st = await done;
    expect(st.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(acks[0]!.message).toMatch(/cannot decompress/);
    await stillServes(r, sink);
  });

  it('refuses a zstd frame whose header claims more than the batch declared, before inflating', async () => {
    const { r, sink } = await receiver();
    const { call, acks, done } = rawCall(r.address);
    const bomb = Buffer.alloc(32);
    bomb.writeUInt32LE(0xfd2fb528, 0);
    bomb[4] = 0b1110_0000;
    bomb.writeUInt32LE(1, 9); // 4 GiB
    call.write(frame({ batchId: 1, data: bomb, compression: Compression.COMPRESSION_ZSTD, uncompressedSize: 1000 }));
    expect((await done).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(acks[0]!.message).toMatch(/zstd frame declares 4294967296 bytes, batch declared 1000/);
    await stillServes(r, sink);
  });

  it('enforces frame-size and decompressed-size limits with RESOURCE_EXHAUSTED', async () => {
    const { r, sink } = await receiver({ limits: { maxFrameBytes: 1000, maxDecompressedBytes: 5000 } });
    const a = rawCall(r.address);
    a.call.write(frame({ batchId: 1, data: crypto.randomBytes(1500), uncompressedSize: 1500 }));
    expect((await a.done).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(a.acks[0]!.message).toMatch(/exceeds maxFrameBytes 1000/);
    const b = rawCall(r.address);
    b.call.write(frame({ batchId: 1, data: crypto.randomBytes(10), compression: Compression.COMPRESSION_ZSTD, uncompressedSize: 6000 }));
    expect((await b.done).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(b.acks[0]!.message).toMatch(/exceeds maxDecompressedBytes 5000/);
    expect(r.stats().rejected).toEqual({ RESOURCE_EXHAUSTED: 2 });
    await stillServes(r, sink);
  });

  it('a stream over its pattern limit is closed; the sender drops that batch, then stops with a clear error', async () => {
    // The encoder allows 6 patterns, the receiver 5: a misconfiguration. The batch that
    // defines the 6th pattern is refused (RESOURCE_EXHAUSTED) and dropped, counted. Its
    // defines stay in the sender's acked-state snapshot (later batches may use them), so
    // the next stream's snapshot is over the limit too: the sender reports a permanent
    // error instead of dropping every later batch one by one.
    const { r, sink } = await receiver({ limits: { maxPatterns: 5 } });
    const t = testTransport(r.address);
    cleanups.push(() => t.shutdown(100));
    const enc = new SimpleEncoder(6);
    await t.submit(enc.encode([0, 1, 2, 3, 4].map((i) => makeRecord(i, i))));
    await t.submit(enc.encode([5, 0].map((i) => makeRecord(100 + i, i))));
    await t.submit(enc.encode([0, 1].map((i) => makeRecord(200 + i, i))));
    const rep = await t.flush(5000);
    expect(rep.ackedRecords).toBe(5);
    expect(rep.dropReasons).toEqual({
      'rejected by receiver (RESOURCE_EXHAUSTED)': 2,
      'permanent error: receiver refused the state snapshot (RESOURCE_EXHAUSTED): limit exceeded: more than 5 patterns': 2,
    });
    expect(rep.lastError).toMatch(/state snapshot/);
    expect(sink.records.map((x) => seqOf(x.body))).toEqual([0, 1, 2, 3, 4]);
    expect(r.stats().rejected).toEqual({ RESOURCE_EXHAUSTED: 2 });
    await stillServes(r, sink);
  });

  it('maps the real decoder\'s limit errors to RESOURCE_EXHAUSTED and its malformed-input errors to INVALID_ARGUMENT', async () => {
    const { receiver: r } = await startTestReceiver({ limits: { maxPatterns: 2 } }, 'stateful');
    cleanups.push(() => r.close(50));
    const t = testTransport(r.address);
    cleanups.push(() => t.shutdown(10));
    const enc = makeEncoder('stateful');
    // many distinct templates: the sender's pattern store defines more than 2
    await t.submit(enc.encode(Array.from({ length: 60 }, (_, i) => makeRecord(i, i))));
    const rep = await t.flush(3000);
    expect(r.stats().rejected.RESOURCE_EXHAUSTED).toBeGreaterThanOrEqual(1);
    expect(rep.dropReasons['rejected by receiver (RESOURCE_EXHAUSTED)']).toBe(60);

    const { receiver: r2 } = await startTestReceiver({}, 'stateful');
    cleanups.push(() => r2.close(50));
    const { call, acks, done } = rawCall(r2.address);
    const junk = Buffer.from([0x2a, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff]); // a Log datum with garbage inside
    call.write(frame({ batchId: 1, data: junk, uncompressedSize: junk.length, recordCount: 1 }));
    expect((await done).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(acks[0]!.status).toBe(BatchStatus_Status.INVALID_ARGUMENT);
  });

  it('keeps state per stream: two senders with clashing pattern ids decode independently', async () => {
    const { r, sink } = await receiver();
    const t1 = testTransport(r.address);
    const t2 = testTransport(r.address);
    cleanups.push(() => t1.shutdown(100), () => t2.shutdown(100));
    const e1 = new SimpleEncoder();
    const e2 = new SimpleEncoder();
    // same ids, different templates
    await Promise.all([
      submitRange(t1, e1, 0, 500, 50),
      (async () => {
        for (let i = 0; i < 10; i++) await t2.submit(e2.encode(Array.from({ length: 50 }, (_, j) => makeRecord(1000 + i * 50 + j, 36 - ((i * 50 + j) % 37)))));
      })(),
    ]);
    expect((await t1.flush(5000)).ok).toBe(true);
    expect((await t2.flush(5000)).ok).toBe(true);
    const got = sink.records.map((x) => seqOf(x.body)).sort((a, b) => a - b);
    expect(got).toEqual([...Array.from({ length: 500 }, (_, i) => i), ...Array.from({ length: 500 }, (_, i) => 1000 + i)]);
    expect(r.stats().streamsAccepted).toBe(2);
    const byBody = new Map(sink.records.map((x) => [seqOf(x.body), x.body]));
    expect(byBody.get(1001)).toBe(makeRecord(1001, 35).body);
  });

  it('a failing sink answers UNAVAILABLE; the sender retries and nothing is lost', async () => {
    const sink = new MemorySink();
    let failures = 3;
    const write = sink.write.bind(sink);
    sink.write = (recs, ctx) => {
      if (failures > 0) { failures--; throw new Error('disk full'); }
      write(recs, ctx);
    };
    const { r } = await receiver({ sink });
    const t = testTransport(r.address);
    cleanups.push(() => t.shutdown(100));
    await submitRange(t, new SimpleEncoder(), 0, 300, 30);
    const rep = await t.flush(10_000);
    expect(rep.ok).toBe(true);
    expect(rep.streamFailures).toBeGreaterThanOrEqual(3);
    expect(sink.records.map((x) => seqOf(x.body))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(r.stats().sinkFailures).toBe(3);
  });

  it('a graceful close acks the batch in hand and takes no more: restarted on the same port, nothing is lost or duplicated', async () => {
    const sink = new MemorySink();
    const write = sink.write.bind(sink);
    sink.write = async (recs, ctx) => {
      await new Promise((r) => setTimeout(r, 30));
      write(recs, ctx);
    };
    const first = await startTestReceiver({ sink });
    const port = first.receiver.port;
    const t = testTransport(first.receiver.address, { backoff: { initialMillis: 20, maxMillis: 100 }, connectTimeoutMillis: 500 });
    cleanups.push(() => t.shutdown(100));
    const producing = submitRange(t, new SimpleEncoder(), 0, 3000, 100);
    while (sink.records.length < 500) await new Promise((r) => setTimeout(r, 5));
    await first.receiver.close(2000);
    const second = await startTestReceiver({ sink, listen: `127.0.0.1:${port}` });
    cleanups.push(() => second.receiver.close(100));
    await producing;
    const report = await t.flush(20_000);
    expect(report.ok).toBe(true);
    expect(sink.records.map((x) => seqOf(x.body))).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
