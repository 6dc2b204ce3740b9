/**
 * The remaining fault cases on loopback: receiver down at start-up, slow receiver
 * (bounded sender memory), wrong token, TLS (right and wrong), oversized frames, and
 * random bytes thrown at the port.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { makeEncoder } from '../transport/helpers/codecs';
import { makeRecord, seqOf, SimpleEncoder } from '../transport/helpers/simple-codec';
import { startTestReceiver, submitRange, testTransport } from '../transport/helpers/loopback';
import { generateTestCerts, hasOpenssl, type TestCerts } from '../fixtures/certs/generate';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('faults', () => {
  it('receiver down at start-up: the sender holds the batches and delivers them once it is up', async () => {
    const port = await freePort();
    const t = testTransport(`127.0.0.1:${port}`, { connectTimeoutMillis: 300, backoff: { initialMillis: 50, maxMillis: 200 } });
    cleanups.push(() => t.shutdown(100));
    await submitRange(t, makeEncoder('stateful'), 0, 1000, 100);
    const early = await t.flush(700);
    expect(early.ok).toBe(false);
    expect(early.pendingRecords).toBe(1000);
    expect(early.streamFailures).toBeGreaterThanOrEqual(1);
    const { receiver, sink } = await startTestReceiver({ listen: `127.0.0.1:${port}` }, 'stateful');
    cleanups.push(() => receiver.close(100));
    const report = await t.flush(10_000);
    expect(report.ok).toBe(true);
    expect(sink.records).toEqual(range(0, 1000).map((i) => makeRecord(i)));
  });

  it('slow receiver: backpressure keeps the sender window within its limits', async () => {
    const sink = new MemorySink();
    const write = sink.write.bind(sink);
    sink.write = async (recs, ctx) => {
      await new Promise((r) => setTimeout(r, 20));
      write(recs, ctx);
    };
    const { receiver } = await startTestReceiver({ sink }, 'stateful');
    cleanups.push(() => receiver.close(100));
    const limits = { maxInflightBatches: 6, maxInflightBytes: 256 * 1024 };
    const t = testTransport(receiver.address, limits);
    cleanups.push(() => t.shutdown(100));
    const enc = makeEncoder('stateful');
    let blockedSubmits = 0;
    for (let i = 0; i < 100; i++) {
      const before = Date.now();
      await t.submit(enc.encode(range(i * 100, i * 100 + 100).map((j) => makeRecord(j))));
      if (Date.now() - before >= 5) blockedSubmits++;
      const s = t.stats();
      expect(s.pendingBatches).toBeLessThanOrEqual(limits.maxInflightBatches);
    }
    const report = await t.flush(20_000);
    expect(report.ok).toBe(true);
    expect(report.peakInflightBatches).toBe(limits.maxInflightBatches);
    expect(report.peakInflightBytes).toBeLessThanOrEqual(limits.maxInflightBytes);
    expect(blockedSubmits).toBeGreaterThan(50); // the producer was held back, not buffered
    expect(sink.records.length).toBe(10_000);
  });

  it('wrong token: permanent error, nothing half-delivered, receiver unaffected', async () => {
    const { receiver, sink } = await startTestReceiver({ token: 'right' });
    cleanups.push(() => receiver.close(100));
    const t = testTransport(receiver.address, { token: 'wrong' });
    await submitRange(t, new SimpleEncoder(), 0, 100, 50);
    const report = await t.shutdown(3000);
    expect(report.ok).toBe(false);
    expect(report.lastError).toMatch(/^UNAUTHENTICATED/);
    expect(report.droppedRecords).toBe(100);
    expect(sink.records).toHaveLength(0);
    expect(receiver.stats().authFailures).toBe(1);
  });

  it('oversized batch: refused at submit with a clear error and counted; its state changes still reach the receiver', async () => {
    const { receiver, sink } = await startTestReceiver();
    cleanups.push(() => receiver.close(100));
    const t = testTransport(receiver.address, { compression: 'none', maxBatchBytes: 10_000 });
    cleanups.push(() => t.shutdown(100));
    const enc = new SimpleEncoder();
    // The stream is already open when the oversized batch comes, so later batches decode
    // only if the dropped batch's pattern defines were still delivered in its place.
    await t.submit(enc.encode([makeRecord(0, 0)]));
    expect((await t.flush(3000)).ok).toBe(true);
    await expect(t.submit(enc.encode(range(1, 1001).map((j) => makeRecord(j))))).rejects.toThrow(/exceeds maxBatchBytes 10000; 1000 records dropped/);
    await t.submit(enc.encode(range(1001, 1040).map((j) => makeRecord(j))));
    const report = await t.flush(3000);
    expect(report.dropReasons).toEqual({ 'batch larger than maxBatchBytes': 1000 });
    expect(report.submittedRecords).toBe(1040);
    expect(report.ackedRecords).toBe(40);
    expect(report.streamsOpened).toBe(1);
    expect(sink.records.map((r) => seqOf(r.body))).toEqual([0, ...range(1001, 1040)]);
  });

  it('oversized frame at the receiver: that batch is refused (RESOURCE_EXHAUSTED), counted, the rest goes through', async () => {
    const { receiver, sink } = await startTestReceiver({ limits: { maxFrameBytes: 20_000 } });
    cleanups.push(() => receiver.close(100));
    const t = testTransport(receiver.address, { compression: 'none' });
    cleanups.push(() => t.shutdown(100));
    const enc = new SimpleEncoder();
    await t.submit(enc.encode(range(0, 10).map((j) => makeRecord(j))));
    await t.submit(enc.encode(range(10, 1010).map((j) => makeRecord(j)))); // ~86 KB
    await t.submit(enc.encode(range(1010, 1020).map((j) => makeRecord(j))));
    const report = await t.flush(5000);
    expect(report.dropReasons).toEqual({ 'rejected by receiver (RESOURCE_EXHAUSTED)': 1000 });
    expect(report.ackedRecords).toBe(20);
    expect(sink.records.map((r) => seqOf(r.body))).toEqual([...range(0, 10), ...range(1010, 1020)]);
  });

  it('a frame beyond the receiver hard cap is cut by gRPC itself; the server lives on', async () => {
    const grpc = await import('@grpc/grpc-js');
    const { StatefulBatch, Compression } = await import('../../src/proto/otel_stateful_logs/v1/stateful_logs');
    const { receiver, sink } = await startTestReceiver({ limits: { maxFrameBytes: 1000 } });
    cleanups.push(() => receiver.close(100));
    const client = new grpc.Client(receiver.address, grpc.credentials.createInsecure());
    cleanups.push(() => client.close());
    const call = client.makeBidiStreamRequest<Buffer, Buffer>('/otel_stateful_logs.v1.StatefulLogsService/LogsStream', (b) => b, (b) => b, new grpc.Metadata());
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    const status = new Promise<{ code: number; details: string }>((r) => call.on('status', r));
    const huge = crypto.randomBytes(5 * 1024 * 1024);
    call.write(Buffer.from(StatefulBatch.encode({ batchId: 1, data: huge, compression: Compression.COMPRESSION_NONE, uncompressedSize: huge.length, recordCount: 1 }).finish()));
    const st = await status;
    expect(st.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(st.details).toMatch(/larger than max/);
    const t = testTransport(receiver.address);
    cleanups.push(() => t.shutdown(100));
    await t.submit(new SimpleEncoder().encode([makeRecord(1, 0)]));
    expect((await t.flush(3000)).ok).toBe(true);
    expect(sink.records).toHaveLength(1);
  });

  it('random bytes on the port (not HTTP/2): the connection is dropped, the receiver lives on', async () => {
    const { receiver, sink } = await startTestReceiver();
    cleanups.push(() => receiver.close(100));
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(receiver.port, '127.0.0.1', () => s.write(crypto.randomBytes(2000)));
        s.resume(); // read (and discard) the server's GOAWAY so its close reaches us
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.setTimeout(2000, () => { s.destroy(); resolve(); });
      });
    }
    const t = testTransport(receiver.address);
    cleanups.push(() => t.shutdown(100));
    await submitRange(t, new SimpleEncoder(), 0, 100, 50);
    expect((await t.flush(3000)).ok).toBe(true);
    expect(sink.records).toHaveLength(100);
  });

  describe.skipIf(!hasOpenssl())('TLS', () => {
    let certs: TestCerts;
    it('delivers over TLS with the right CA', async () => {
      certs = generateTestCerts();
      cleanups.push(() => certs.cleanup());
      const { receiver, sink } = await startTestReceiver({ tls: { cert: certs.serverCert, key: certs.serverKey } });
      cleanups.push(() => receiver.close(100));
      const t = testTransport(`localhost:${receiver.port}`, { insecure: false, tls: { ca: certs.ca } });
      cleanups.push(() => t.shutdown(100));
      await submitRange(t, new SimpleEncoder(), 0, 100, 50);
      expect((await t.flush(5000)).ok).toBe(true);
      expect(sink.records).toHaveLength(100);
    });

    it('mutual TLS: a client certificate signed by the CA gets in, none does not', async () => {
      certs = generateTestCerts();
      cleanups.push(() => certs.cleanup());
      const { receiver, sink } = await startTestReceiver({ tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca } });
      cleanups.push(() => receiver.close(100));
      const anon = testTransport(`localhost:${receiver.port}`, { insecure: false, tls: { ca: certs.ca }, connectTimeoutMillis: 300 });
      await submitRange(anon, new SimpleEncoder(), 0, 10, 10);
      expect((await anon.flush(800)).ok).toBe(false);
      expect((await anon.shutdown(10)).droppedRecords).toBe(10);
      const t = testTransport(`localhost:${receiver.port}`, { insecure: false, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
      cleanups.push(() => t.shutdown(100));
      await submitRange(t, new SimpleEncoder(), 0, 10, 10);
      expect((await t.flush(5000)).ok).toBe(true);
      expect(sink.records).toHaveLength(10);
    });

    it('wrong CA, or plaintext against TLS: nothing delivered, a clear error, no crash', async () => {
      certs = generateTestCerts();
      cleanups.push(() => certs.cleanup());
      const { receiver, sink } = await startTestReceiver({ tls: { cert: certs.serverCert, key: certs.serverKey } });
      cleanups.push(() => receiver.close(100));
      for (const opts of [{ insecure: false, tls: { ca: certs.otherCa } }, { insecure: true }]) {
        const t = testTransport(`localhost:${receiver.port}`, { ...opts, connectTimeoutMillis: 300 });
        await submitRange(t, new SimpleEncoder(), 0, 10, 10);
        const report = await t.flush(800);
        expect(report.ok).toBe(false);
        expect(report.pendingRecords).toBe(10);
        expect(report.lastError).toMatch(/cannot connect to localhost:\d+|not connected within 300 ms|UNAVAILABLE/);
        const final = await t.shutdown(10);
        expect(final.droppedRecords).toBe(10);
      }
      expect(sink.records).toHaveLength(0);
      // and a correct client still gets through
      const ok = testTransport(`localhost:${receiver.port}`, { insecure: false, tls: { ca: certs.ca } });
      cleanups.push(() => ok.shutdown(100));
      await submitRange(ok, new SimpleEncoder(), 0, 10, 10);
      expect((await ok.flush(5000)).ok).toBe(true);
    });
  });
});
