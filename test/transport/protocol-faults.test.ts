/**
 * The sender against misbehaving servers (real gRPC servers on loopback that break the
 * protocol on purpose): out-of-order acks, RESOURCE_EXHAUSTED with and without RetryInfo.
 */
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BatchStatus,
  BatchStatus_Status,
  StatefulBatch,
  StatefulLogsServiceService,
} from '../../src/proto/otel_stateful_logs/v1/stateful_logs';
import { SimpleEncoder } from './helpers/simple-codec';
import { submitRange, testTransport } from './helpers/loopback';

type Handler = (call: grpc.ServerDuplexStream<StatefulBatch, BatchStatus>, streamNo: number) => void;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeServer(handler: Handler): Promise<string> {
  const server = new grpc.Server();
  let n = 0;
  server.addService(StatefulLogsServiceService, { logsStream: (call: grpc.ServerDuplexStream<StatefulBatch, BatchStatus>) => handler(call, ++n) });
  const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  cleanups.push(() => server.forceShutdown());
  return `127.0.0.1:${port}`;
}

function ackAll(call: grpc.ServerDuplexStream<StatefulBatch, BatchStatus>, idOffset = 0): void {
  call.on('data', (b: StatefulBatch) => call.write({ batchId: b.batchId + idOffset, status: BatchStatus_Status.OK, message: '' }));
  call.on('end', () => call.end());
  call.on('error', () => undefined);
}

function retryInfoTrailer(millis: number): grpc.Metadata {
  const duration = new BinaryWriter().uint32(8).int64(Math.floor(millis / 1000)).uint32(16).int32((millis % 1000) * 1e6).finish();
  const retryInfo = new BinaryWriter().uint32(10).bytes(duration).finish();
  const any = new BinaryWriter().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(retryInfo).finish();
  const md = new grpc.Metadata();
  md.set('grpc-status-details-bin', Buffer.from(new BinaryWriter().uint32(8).int32(8).uint32(26).bytes(any).finish()));
  return md;
}

describe('sender against a misbehaving server', () => {
  it('an out-of-order ack tears the stream down; nothing counts as acknowledged', async () => {
    const address = await fakeServer((call) => ackAll(call, 1));
    const t = testTransport(address, { backoff: { initialMillis: 20, maxMillis: 50 } });
    cleanups.push(() => t.shutdown(10));
    await submitRange(t, new SimpleEncoder(), 0, 100, 50);
    const report = await t.flush(300);
    expect(report.ok).toBe(false);
    expect(report.ackedRecords).toBe(0);
    expect(report.streamFailures).toBeGreaterThanOrEqual(2);
    expect(report.lastError).toMatch(/out-of-order ack: expected 1, got 2/);
    expect(report.pendingRecords).toBe(100);
  });

  it('RESOURCE_EXHAUSTED with RetryInfo is retried after the server-given delay', async () => {
    const opened: number[] = [];
    const address = await fakeServer((call, n) => {
      opened.push(Date.now());
      if (n === 1) {
        call.on('error', () => undefined);
        call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: 'busy', metadata: retryInfoTrailer(300) });
        return;
      }
      ackAll(call);
    });
    const t = testTransport(address, { backoff: { initialMillis: 10, maxMillis: 20 } });
    cleanups.push(() => t.shutdown(10));
    await submitRange(t, new SimpleEncoder(), 0, 100, 50);
    const report = await t.flush(5000);
    expect(report.ok).toBe(true);
    expect(opened).toHaveLength(2);
    expect(opened[1]! - opened[0]!).toBeGreaterThanOrEqual(280);
  });

  it('RESOURCE_EXHAUSTED without RetryInfo is permanent: a clear error, submit rejects', async () => {
    const address = await fakeServer((call) => {
      call.on('error', () => undefined);
      call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: 'quota gone', metadata: new grpc.Metadata() });
    });
    const t = testTransport(address);
    cleanups.push(() => t.shutdown(10));
    const enc = new SimpleEncoder();
    await submitRange(t, enc, 0, 100, 50);
    const report = await t.flush(3000);
    expect(report.ok).toBe(false);
    expect(report.dropReasons).toEqual({ 'permanent error: RESOURCE_EXHAUSTED: quota gone': 100 });
    await expect(submitRange(t, enc, 100, 110, 10)).rejects.toThrow(/permanent error: RESOURCE_EXHAUSTED: quota gone/);
  });
});
