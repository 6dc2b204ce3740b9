/**
 * Messages between the benchmark parent (receivers, relays, reports) and an application
 * child (./app-child.ts). Times are milliseconds of the machine's monotonic clock
 * (CLOCK_MONOTONIC via process.hrtime), which parent and child share, so an emit time taken
 * in the child and an arrival time taken in the parent can be subtracted.
 */
import type { WorkloadSpec } from './workloads';

export type ExporterKind = 'stateful' | 'otlp' | 'otlp-gzip';

export const EXPORTER_LABEL: Record<ExporterKind, string> = {
  stateful: 'otel-stateful-logs',
  otlp: 'OTLP/gRPC',
  'otlp-gzip': 'OTLP/gRPC + gzip',
};

export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface ChildJob {
  exporter: ExporterKind;
  /** Where the exporter sends (the counting relay in front of the receiver). */
  url: string;
  workload: WorkloadSpec;
  /** Records per export (both processors). */
  batch: number;
  /** Records per second; 0 = as fast as the app can emit (yielding to the event loop every batch). */
  rate: number;
  /** Small encoder limits (our exporter only). */
  limits?: { patterns: number; dictEntries: number };
  soak?: { minutes: number; sampleMs: number };
  /** Records sent through a throwaway pipeline first (0 = cold start). */
  warmupRecords?: number;
  /** What the warm-up emits: the workload's own records (default) or the demo generator's. */
  warmupSource?: WarmupSource;
  /** Throwaway pipelines the warm-up records are split over, one after the other (default 1). */
  warmupPipelines?: number;
  /** The package build to load (a `dist/index.cjs`); undefined: `src/index.ts` through tsx. */
  packagePath?: string;
}

/**
 * `same`: the first records of the workload itself (repeated when it is shorter), as in an app
 * that has logged this kind of line before; `generator`: demo-generator records, which leave
 * the code paths that only this log source reaches cold (V8 compiles them inside the measured run).
 */
export type WarmupSource = 'same' | 'generator';

export interface ChildResult {
  records: number;
  /** The measured run, monotonic ms (to cut a --cpu-prof profile down to it). */
  window: [number, number];
  /** First emit -> provider.shutdown() resolved (everything delivered). */
  wallMs: number;
  /** First emit -> last emit. */
  emitDoneMs: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  /**
   * CPU time of the main (JavaScript) thread alone, µs (Linux, /proc/thread-self/schedstat;
   * absent elsewhere). The rest of the process CPU is helper threads: V8's optimizing
   * compiler and GC, and the libuv pool (the gRPC gzip of the official exporter).
   */
  cpuMainThreadUs?: number;
  baseRss: number;
  baseHeap: number;
  peakRss: number;
  peakHeap: number;
  /** getrusage ru_maxrss of the child, KiB (includes loading the workload). */
  maxRssKb: number;
  exportLatencyMs: number[];
  failedRecords: number;
  /** Emit time of every record, in emit order. */
  emitMs: number[];
  patterns?: number;
  dictEntries?: number;
  payloadBytes?: number;
  transportBytes?: number;
  ackedRecords?: number;
}

export interface SoakSample {
  tSec: number;
  records: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  patterns: number;
  dictEntries: number;
  dictBytes: number;
  patternDefines: number;
  patternDeletes: number;
  dictDefines: number;
  dictDeletes: number;
  ackedRecords: number;
  pendingRecords: number;
  droppedRecords: number;
  bytesSent: number;
  cpuMs: number;
}

export type ChildMessage =
  | { type: 'result'; result: ChildResult }
  | { type: 'sample'; sample: SoakSample }
  /** The warm-up pipeline is shut down: everything received so far is not part of the run. */
  | { type: 'warm' }
  | { type: 'error'; error: string };
