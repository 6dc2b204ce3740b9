/**
 * Runs one (workload, exporter) pair: starts the receiving side here, forks the application
 * child, waits for its result and the last record's arrival, and turns both into one row of
 * figures.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildJob, ChildMessage, ChildResult, ExporterKind, SoakSample } from './protocol';
import { percentile } from './stats';
import { startTarget } from './targets';
import type { WorkloadSpec } from './workloads';

export interface RunRow {
  workload: string;
  exporter: ExporterKind;
  records: number;
  received: number;
  /** Client -> server bytes on the socket (everything: HTTP/2, gRPC framing, headers). */
  bytesUp: number;
  bytesDown: number;
  bytesPerRecord: number;
  /** User + system CPU of the application process per record, microseconds. */
  cpuUsPerRecord: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Main-thread part of cpuUsPerRecord (Linux only): the rest is V8 compiler/GC threads and the libuv pool. */
  cpuMainUsPerRecord?: number;
  wallMs: number;
  recordsPerSec: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** Peak RSS / heap above the level just before the first emit (workload already loaded). */
  rssGrowthMiB: number;
  heapGrowthMiB: number;
  exportP50Ms: number;
  exportP99Ms: number;
  /** Emit (app) -> record handed to the receiver's sink, shared monotonic clock. */
  e2eP50Ms: number;
  e2eP99Ms: number;
  failedRecords: number;
  patterns?: number;
  dictEntries?: number;
}

export interface RunOptions {
  batch: number;
  rate: number;
  /** Extra node flags for the child (e.g. --cpu-prof). */
  execArgv?: string[];
  limits?: ChildJob['limits'];
  soak?: ChildJob['soak'];
  warmupRecords?: number;
  warmupSource?: ChildJob['warmupSource'];
  warmupPipelines?: number;
  /** See ChildJob.packagePath. */
  packagePath?: string;
  onSample?: (s: SoakSample) => void;
}

const MiB = 1024 * 1024;
const CHILD = join(__dirname, 'app-child.ts');

function runChild(job: ChildJob, opts: RunOptions, onWarm: () => void): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: [...process.execArgv, '--expose-gc', ...(opts.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // Settled on exit, not on the result message: a --cpu-prof profile is written on exit.
    let outcome: { result: ChildResult } | { error: string } | undefined;
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'sample') opts.onSample?.(m.sample);
      else if (m.type === 'warm') onWarm();
      else if (m.type === 'result') outcome = { result: m.result };
      else outcome = { error: m.error };
    });
    child.on('exit', (code) => {
      if (outcome && 'result' in outcome) resolve(outcome.result);
      else reject(new Error(outcome ? `app child failed: ${outcome.error}` : `app child exited with code ${code} before reporting`));
    });
    child.send(job);
  });
}

export async function runOnce(workload: WorkloadSpec, exporter: ExporterKind, opts: RunOptions): Promise<{ row: RunRow; result: ChildResult }> {
  const target = await startTarget(exporter);
  try {
    const job: ChildJob = {
      exporter, url: target.url, workload, batch: opts.batch, rate: opts.rate, limits: opts.limits, soak: opts.soak, warmupRecords: opts.warmupRecords, warmupSource: opts.warmupSource, warmupPipelines: opts.warmupPipelines, packagePath: opts.packagePath,
    };
    let skip = { arrivals: 0, up: 0, down: 0 };
    const r = await runChild(job, opts, () => {
      target.sync();
      skip = { arrivals: target.arrivals.length, up: target.bytesUp, down: target.bytesDown };
    });
    // Acks precede the child's exit, so everything has arrived; give the sink a moment anyway.
    target.sync();
    for (let i = 0; i < 50 && target.arrivals.length - skip.arrivals < r.records; i++) await sleep(20);
    const arrivals = target.arrivals.slice(skip.arrivals);
    const bytesUp = target.bytesUp - skip.up;
    const lat: number[] = [];
    const n = Math.min(r.emitMs.length, arrivals.length);
    for (let i = 0; i < n; i++) lat.push(arrivals[i]! - r.emitMs[i]!);
    const cpu = r.cpuUserUs + r.cpuSystemUs;
    const row: RunRow = {
      workload: workload.name,
      exporter,
      records: r.records,
      received: arrivals.length,
      bytesUp,
      bytesDown: target.bytesDown - skip.down,
      bytesPerRecord: bytesUp / r.records,
      cpuUsPerRecord: cpu / r.records,
      cpuUserUs: r.cpuUserUs,
      cpuSystemUs: r.cpuSystemUs,
      ...(r.cpuMainThreadUs !== undefined ? { cpuMainUsPerRecord: r.cpuMainThreadUs / r.records } : {}),
      wallMs: r.wallMs,
      recordsPerSec: r.records / (r.wallMs / 1000),
      peakRssMiB: r.peakRss / MiB,
      peakHeapMiB: r.peakHeap / MiB,
      rssGrowthMiB: (r.peakRss - r.baseRss) / MiB,
      heapGrowthMiB: (r.peakHeap - r.baseHeap) / MiB,
      exportP50Ms: percentile(r.exportLatencyMs, 50),
      exportP99Ms: percentile(r.exportLatencyMs, 99),
      e2eP50Ms: percentile(lat, 50),
      e2eP99Ms: percentile(lat, 99),
      failedRecords: r.failedRecords,
      ...(r.patterns !== undefined ? { patterns: r.patterns, dictEntries: r.dictEntries } : {}),
    };
    return { row, result: r };
  } finally {
    await target.close();
  }
}
