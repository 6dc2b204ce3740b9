/**
 * The receiving side of a benchmark run, in the parent process: our receiver (public API)
 * or the demo's minimal OTLP/gRPC logs endpoint, each behind a counting TCP relay (Nagle
 * off, see src/cli/counting-relay.ts) so the bytes on the socket are exact. Both note the arrival
 * time (shared monotonic clock) of every record, in order, for emit -> received latency.
 */
import { startOtlpSink } from '../../src/cli/otlp-sink';
import * as ours from '../../src/index';
import { startCountingRelay } from '../../src/cli/counting-relay';
import { monotonicMs, type ExporterKind } from './protocol';

export interface Target {
  /** URL for the exporter (the relay). */
  readonly url: string;
  readonly bytesUp: number;
  readonly bytesDown: number;
  /** Arrival time of each record received so far, in arrival order. */
  readonly arrivals: number[];
  /** Brings `arrivals` up to date with everything the server has received. */
  sync(): void;
  close(): Promise<void>;
}

/** Arrival clock for `n` records that arrived together. */
function noteArrivals(arrivals: number[], n: number): void {
  if (n <= 0) return;
  const t = monotonicMs();
  for (let i = 0; i < n; i++) arrivals.push(t);
}

/**
 * The demo's minimal OTLP/gRPC sink, polled every 2 ms for its record count (it has no
 * per-request hook): arrival times are exact to a few ms, far below the latencies measured.
 */
interface Server {
  port: number;
  sync(): void;
  close(): Promise<void>;
}

async function startOtlpReceiver(arrivals: number[]): Promise<Server> {
  const sink = await startOtlpSink();
  const catchUp = () => noteArrivals(arrivals, sink.records - arrivals.length);
  const poll = setInterval(catchUp, 2);
  return {
    port: sink.port,
    sync: catchUp,
    close: async () => {
      catchUp();
      clearInterval(poll);
      await sink.close();
    },
  };
}

async function startOurReceiver(arrivals: number[]): Promise<Server> {
  const receiver = await ours.startReceiver({
    listen: '127.0.0.1:0',
    sink: { write: (records) => noteArrivals(arrivals, records.length) },
  });
  return { port: receiver.port, sync: () => {}, close: () => receiver.close(100) };
}

export async function startTarget(kind: ExporterKind): Promise<Target> {
  const arrivals: number[] = [];
  const server = kind === 'stateful' ? await startOurReceiver(arrivals) : await startOtlpReceiver(arrivals);
  const relay = await startCountingRelay(server.port);
  return {
    url: `http://127.0.0.1:${relay.port}`,
    get bytesUp() { return relay.bytesUp; },
    get bytesDown() { return relay.bytesDown; },
    arrivals,
    sync: () => server.sync(),
    close: async () => {
      await relay.close();
      await server.close();
    },
  };
}
