/**
 * The OTLP forwarder against a fake Collector (a real gRPC server speaking the OTLP
 * logs service path): records arrive as OTLP, and a batch is acked to the sender only
 * after the Collector accepted it — a Collector failure makes the sender retry.
 */
import * as grpc from '@grpc/grpc-js';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpForwardSink, ReadableRecordBuilder } from '../../src/receiver/sinks/otlp-forward-sink';
import { startReceiver } from '../../src/receiver/server';
import { makeEncoder, makeDecoderFactory } from '../transport/helpers/codecs';
import { makeRecord } from '../transport/helpers/simple-codec';
import { submitRange, testTransport } from '../transport/helpers/loopback';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Field `n` (length-delimited) sub-messages of a protobuf message. */
function sub(buf: Uint8Array, n: number): Uint8Array[] {
  const r = new BinaryReader(buf);
  const out: Uint8Array[] = [];
  while (r.pos < r.len) {
    const [f, w] = r.tag();
    if (f === n && w === 2) out.push(r.bytes());
    else r.skip(w);
  }
  return out;
}

/** Bodies (string AnyValues) of every LogRecord in an ExportLogsServiceRequest. */
function bodiesOf(req: Uint8Array): string[] {
  const bodies: string[] = [];
  for (const rl of sub(req, 1)) for (const sl of sub(rl, 2)) for (const lr of sub(sl, 2)) {
    for (const body of sub(lr, 5)) bodies.push(new TextDecoder().decode(sub(body, 1)[0]));
  }
  return bodies;
}

async function fakeCollector(failFirst: number): Promise<{ port: number; bodies: string[]; calls: () => number }> {
  const bodies: string[] = [];
  let calls = 0;
  const server = new grpc.Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        calls++;
        if (calls <= failFirst) return cb({ code: grpc.status.UNAVAILABLE, details: 'collector busy' });
        bodies.push(...bodiesOf(call.request));
        cb(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  cleanups.push(() => server.forceShutdown());
  return { port, bodies, calls: () => calls };
}

describe('OtlpForwardSink', () => {
  it('forwards to a Collector and acks only what it accepted (a refusal means retry)', async () => {
    const collector = await fakeCollector(2);
    const sink = await OtlpForwardSink.create({ url: `http://127.0.0.1:${collector.port}`, timeoutMillis: 2000 });
    const receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: makeDecoderFactory('stateful') });
    cleanups.push(() => receiver.close(100));
    const t = testTransport(receiver.address);
    cleanups.push(() => t.shutdown(100));
    await submitRange(t, makeEncoder('stateful'), 0, 500, 100);
    const report = await t.flush(15_000);
    expect(report.ok).toBe(true);
    expect(report.streamFailures).toBeGreaterThanOrEqual(2);
    expect(receiver.stats().sinkFailures).toBe(2);
    expect(collector.bodies).toEqual(Array.from({ length: 500 }, (_, i) => makeRecord(i).body));
  });

  it('builds ReadableLogRecord-shaped objects with interned resources and scopes', () => {
    const b = new ReadableRecordBuilder();
    const x = b.build(makeRecord(1));
    const y = b.build(makeRecord(2));
    expect(x.resource).toBe(y.resource);
    expect(x.instrumentationScope).toBe(y.instrumentationScope);
    expect(x.resource.attributes).toEqual({ 'service.name': 'transport-test' });
    expect(x.hrTime).toEqual(makeRecord(1).hrTime);
  });
});
