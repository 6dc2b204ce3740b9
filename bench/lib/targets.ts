/**
 * The receiving side of a benchmark run, in the parent process: our receiver (public API)
 * or a minimal OTLP/gRPC logs endpoint, each behind a counting TCP relay (Nagle off, see
 * ./nodelay-relay.ts) so the bytes on the socket are exact. Both note the arrival time (shared monotonic clock) of
 * every record, in order, for emit -> received latency.
 */
import * as grpc from '@grpc/grpc-js';
import { countOtlpLogRecords } from '../../src/cli/otlp-sink';
import * as ours from '../../src/index';
import { startNoDelayRelay } from './nodelay-relay';
import { monotonicMs, type ExporterKind } from './protocol';


export interface Target {
  /** URL for the exporter (the relay). */
  readonly url: string;
  readonly bytesUp: number;
  readonly bytesDown: number;
  /** Arrival time of each record received so far, in arrival order. */
  readonly arrivals: number[];
  close(): Promise<void>;
}

/** Arrival clock for `n` records that arrived together. */
function noteArrivals(arrivals: number[], n: number): void {
  const t = monotonicMs();
  for (let i = 0; i < n; i++) arrivals.push(t);
}

const identity = (b: Buffer) => b;
const OTLP_LOGS_EXPORT: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

async function startOtlpReceiver(arrivals: number[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(OTLP_LOGS_EXPORT, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      noteArrivals(arrivals, countOtlpLogRecords(call.request));
      cb(null, Buffer.alloc(0));
    },
  });
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? rej(err) : res(p))),
  );
  return { port, close: () => new Promise<void>((done) => server.tryShutdown(() => done())) };
}

async function startOurReceiver(arrivals: number[]): Promise<{ port: number; close(): Promise<void> }> {
  const receiver = await ours.startReceiver({
    listen: '127.0.0.1:0',
    sink: { write: (records) => noteArrivals(arrivals, records.length) },
  });
  return { port: receiver.port, close: () => receiver.close(100) };
}

export async function startTarget(kind: ExporterKind): Promise<Target> {
  const arrivals: number[] = [];
  const server = kind === 'stateful' ? await startOurReceiver(arrivals) : await startOtlpReceiver(arrivals);
  const relay = await startNoDelayRelay(server.port);
  return {
    url: `http://127.0.0.1:${relay.port}`,
    get bytesUp() { return relay.bytesUp; },
    get bytesDown() { return relay.bytesDown; },
    arrivals,
    close: async () => {
      await relay.close();
      await server.close();
    },
  };
}
