/**
 * The application side of one benchmark run, in its own process so that CPU and memory
 * belong to one exporter only: a real LoggerProvider with either our processor + exporter
 * (the package's public API, src/index.ts) or the SDK's BatchLogRecordProcessor + the official
 * OTLP/gRPC exporter (with or without gzip), emitting one workload. Measures process CPU,
 * peak RSS/heap, export() -> callback latency and the emit time of every record, and sends
 * them to the parent over IPC. The parent owns the receivers and the counting relays.
 *
 * Started by ./runner.ts with `fork`; protocol in ./protocol.ts.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import type * as Package from '../../src/index';
import type { DemoRecord } from '../../src/cli/demo-generator';
import { HighCardinalityGenerator } from './hc-generator';
import { monotonicMs, type ChildJob, type ChildResult, type SoakSample } from './protocol';
import { loadWorkload } from './workloads';

const RESOURCE = resourceFromAttributes({ 'service.name': 'otel-stateful-logs-bench', 'service.version': '1.0.0', 'host.name': 'bench-host' });

/** Times every export() -> result callback; otherwise transparent. */
class TimedExporter implements LogRecordExporter {
  readonly latencies: number[] = [];
  failed = 0;
  constructor(private readonly _inner: LogRecordExporter) {}
  export(logs: Parameters<LogRecordExporter['export']>[0], cb: Parameters<LogRecordExporter['export']>[1]): void {
    const t0 = monotonicMs();
    this._inner.export(logs, (result) => {
      this.latencies.push(monotonicMs() - t0);
      if (result.code !== 0) this.failed += logs.length;
      cb(result);
    });
  }
  forceFlush(): Promise<void> {
    return this._inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this._inner.shutdown();
  }
}

let loaded: typeof Package | undefined;

/**
 * The package under test, loaded once: the build the parent names (see ./package-under-test.ts),
 * or the sources. The build is compiled the way Node compiles a CommonJS module, past tsx's
 * require hook (this child runs under tsx for the harness): through the hook the 350 KB bundle
 * cost ~30 MiB more RSS (50 vs 20 MiB to load it).
 */
function loadPackage(job: ChildJob): typeof Package {
  if (loaded) return loaded;
  const path = job.packagePath;
  if (path === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../src/index') as typeof Package;
  } else {
    const wrapper = runInThisContext(Module.wrap(readFileSync(path, 'utf8')), { filename: path }) as (
      exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string,
    ) => void;
    const mod = { exports: {} };
    wrapper.call(mod.exports, mod.exports, Module.createRequire(path), mod, path, dirname(path));
    loaded = mod.exports as typeof Package;
  }
  return loaded;
}

function buildPipeline(job: ChildJob, queue: number) {
  const batch = { maxExportBatchSize: job.batch, maxQueueSize: queue, scheduledDelayMillis: 200, exportTimeoutMillis: 60_000 };
  let stateful: InstanceType<typeof Package.StatefulLogExporter> | undefined;
  let exporter: TimedExporter;
  let processor: LogRecordProcessor;
  if (job.exporter === 'stateful') {
    const ours = loadPackage(job);
    stateful = new ours.StatefulLogExporter({
      url: job.url,
      ...(job.limits ? { patterns: { maxPatterns: job.limits.patterns }, encoder: { dictionary: { maxEntries: job.limits.dictEntries } } } : {}),
    });
    exporter = new TimedExporter(stateful as unknown as LogRecordExporter);
    processor = new ours.StatefulLogRecordProcessor({ exporter, ...batch }) as unknown as LogRecordProcessor;
  } else {
    const otlp = new OTLPLogExporter({ url: job.url, ...(job.exporter === 'otlp-gzip' ? { compression: 'gzip' as never } : {}) });
    exporter = new TimedExporter(otlp as unknown as LogRecordExporter);
    processor = new BatchLogRecordProcessor({ exporter, ...batch });
  }
  const provider = new LoggerProvider({ resource: RESOURCE, processors: [processor] });
  return { provider, exporter, stateful };
}

type Logger = ReturnType<LoggerProvider['getLogger']>;

/** CPU time of the calling (main) thread so far, ns; undefined where the kernel does not say. */
function mainThreadCpuNs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

function makeEmitter(provider: LoggerProvider): (r: DemoRecord) => void {
  const loggers = new Map<object, Logger>();
  return (r) => {
    let logger = loggers.get(r.scope);
    if (!logger) {
      logger = provider.getLogger(r.scope.name, r.scope.version, r.scope.schemaUrl ? { schemaUrl: r.scope.schemaUrl } : undefined);
      loggers.set(r.scope, logger);
    }
    logger.emit({
      timestamp: r.hrTime,
      observedTimestamp: r.hrTimeObserved,
      severityNumber: r.severityNumber,
      severityText: r.severityText,
      body: r.body,
      eventName: r.eventName,
      attributes: r.attributes,
      context: r.spanContext ? trace.setSpanContext(ROOT_CONTEXT, r.spanContext) : ROOT_CONTEXT,
    } as never);
  };
}

const tick = () => new Promise<void>((res) => setImmediate(res));
const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/**
 * Warms the code paths (JIT, gRPC channel code, zlib/zstd) with a throwaway pipeline of the
 * same kind, so the measured run shows steady-state cost, as in a long-running app. Its
 * records and bytes are subtracted by the parent (it is told when the warm-up is over); its
 * encoder state is not shared with the measured pipeline, which learns every pattern again.
 * By default it replays the workload's own first records: an app that has logged HDFS lines
 * before has V8's code for them compiled, and the demo generator alone left paths such as the
 * IPv4 and JSON checks to be compiled (~110 ms of TurboFan on HealthApp) inside the measured run.
 * The records are split over `warmupPipelines` throwaway pipelines in a row: V8 gives a function
 * its feedback vector only after its first calls, so what only runs at the start of a stream
 * (first keys, first shapes) has no type feedback after one pipeline, and the measured stream's
 * start deoptimized pushValue, writeValueStream and writeAttributes and recompiled them
 * (~45 ms of TurboFan on the compiler threads per run), once per process in a real app.
 * The default, 20,000 records over 4 pipelines (5,000 over 3 until 23:30 UTC 2026-11-25), is
 * what it takes for V8 to stop compiling: functions that run only for some records (the
 * clusterer's learning, the tokenizer behind the anchored fast path) reach TurboFan's
 * threshold late, and with 5,000 records ours still spent ~100 ms compiling them inside a
 * 10-pass Zookeeper run (--trace-opt), ~3 µs/record of "other threads" CPU that a
 * long-running app pays once. `--warmup 5000 --warmup-pipelines 3` gives the old setting.
 */
async function warmUp(job: ChildJob, workloadRecords: DemoRecord[]): Promise<void> {
  if (!job.warmupRecords) return;
  const records = warmUpRecords(job, workloadRecords);
  const rounds = Math.max(1, job.warmupPipelines ?? 1);
  const per = Math.ceil(records.length / rounds);
  for (let r = 0; r < rounds; r++) {
    const { provider } = buildPipeline(job, per + job.batch);
    const emit = makeEmitter(provider);
    const end = Math.min(records.length, (r + 1) * per);
    for (let i = r * per; i < end; i++) {
      emit(records[i]!);
      if (i % job.batch === job.batch - 1) await tick();
    }
    await provider.shutdown();
  }
  await new Promise<void>((res) => process.send!({ type: 'warm' }, () => res()));
}

/** The warm-up's records: the measured run's own first ones (the same objects: no second copy in memory), or the generator's. */
function warmUpRecords(job: ChildJob, records: DemoRecord[]): DemoRecord[] {
  const n = job.warmupRecords!;
  if (job.warmupSource === 'generator' || records.length === 0) return loadWorkload({ name: 'warm-up', kind: 'generator', records: n });
  const out: DemoRecord[] = [];
  while (out.length < n) out.push(...records.slice(0, n - out.length));
  return out;
}

/** Emits the workload: as fast as the app can (yielding every batch) or at `rate` records/s. */
async function runWorkload(job: ChildJob): Promise<ChildResult> {
  const records = loadWorkload(job.workload);
  // The full GC runs before the warm-up, not between it and the measured run: a full gc()
  // does more than collect (V8 flushes code, shrinks the heap), and right before the run it
  // made the next records cost the official exporter up to 2.5x (HDFS: ~20 -> ~50
  // µs/record) and ours far less, flattering ours. Right before the run only a minor GC
  // (no such effect measured): the warm-up's old-space garbage stays in the heap baseline
  // and in the peak alike, so heap growth still counts what the run adds.
  global.gc?.();
  await warmUp(job, records);
  const n = records.length;
  const emitMs = new Float64Array(n);
  const { provider, exporter, stateful } = buildPipeline(job, n + job.batch);
  const emit = makeEmitter(provider);
  (global.gc as ((o?: { type: 'minor' | 'major' }) => void) | undefined)?.({ type: 'minor' });
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  // Peak memory, sampled every 100 ms (heap statistics every 4th tick: they cost more).
  let ticks = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (ticks++ % 4 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 100);
  // bench/experiments/jit-cost.ts reads V8's --trace-opt lines between these two markers
  if (process.env.BENCH_MARK_WINDOW) process.stdout.write('=== measured run: start\n');
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuNs();
  const t0 = monotonicMs();
  let i = 0;
  if (job.rate > 0) {
    while (i < n) {
      const due = Math.min(n, Math.floor(((monotonicMs() - t0) * job.rate) / 1000) + 1);
      for (; i < due; i++) {
        emitMs[i] = monotonicMs();
        emit(records[i]!);
      }
      await sleep(10);
    }
  } else {
    while (i < n) {
      const end = Math.min(n, i + job.batch);
      for (; i < end; i++) {
        emitMs[i] = monotonicMs();
        emit(records[i]!);
      }
      await tick();
    }
  }
  const emitDoneMs = monotonicMs() - t0;
  await provider.shutdown();
  const wallMs = monotonicMs() - t0;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuNs();
  if (process.env.BENCH_MARK_WINDOW) process.stdout.write('=== measured run: end\n');
  clearInterval(sampler);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  const s = stateful?.stats();
  return {
    records: n,
    window: [t0, t0 + wallMs],
    wallMs,
    emitDoneMs,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    ...(main0 !== undefined && main1 !== undefined ? { cpuMainThreadUs: (main1 - main0) / 1000 } : {}),
    baseRss: base.rss,
    baseHeap: base.heapUsed,
    peakRss,
    peakHeap,
    maxRssKb: process.resourceUsage().maxRSS,
    exportLatencyMs: exporter.latencies,
    failedRecords: exporter.failed,
    emitMs: Array.from(emitMs),
    ...(s ? { patterns: s.encoder.patterns, dictEntries: s.encoder.dictEntries, payloadBytes: s.encoder.payloadBytes, transportBytes: s.transport.bytesSent, ackedRecords: s.transport.ackedRecords } : {}),
  };
}

/** Soak: the high-cardinality generator at a fixed rate for a while, sampling memory and state. */
async function runSoak(job: ChildJob): Promise<ChildResult> {
  const soak = job.soak!;
  const gen = new HighCardinalityGenerator({ seed: 11 });
  const { provider, exporter, stateful } = buildPipeline(job, 8192);
  const emit = makeEmitter(provider);
  const cpu0 = process.cpuUsage();
  const t0 = monotonicMs();
  const endAt = t0 + soak.minutes * 60_000;
  let nextSample = t0;
  let peakRss = 0;
  let peakHeap = 0;
  while (monotonicMs() < endAt) {
    const now = monotonicMs();
    const due = Math.floor(((now - t0) * job.rate) / 1000);
    while (gen.count < due) emit(gen.next());
    if (now >= nextSample) {
      nextSample += soak.sampleMs;
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      const s = stateful!.stats();
      const sample: SoakSample = {
        tSec: (now - t0) / 1000,
        records: gen.count,
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        patterns: s.encoder.patterns,
        dictEntries: s.encoder.dictEntries,
        dictBytes: s.encoder.dictBytes,
        patternDefines: s.encoder.patternDefines,
        patternDeletes: s.encoder.patternDeletes,
        dictDefines: s.encoder.dictDefines,
        dictDeletes: s.encoder.dictDeletes,
        ackedRecords: s.transport.ackedRecords,
        pendingRecords: s.transport.pendingRecords,
        droppedRecords: s.transport.droppedRecords,
        bytesSent: s.transport.bytesSent,
        cpuMs: (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000,
      };
      process.send!({ type: 'sample', sample });
    }
    await sleep(20);
  }
  await provider.shutdown();
  const wallMs = monotonicMs() - t0;
  const cpu = process.cpuUsage(cpu0);
  const s = stateful!.stats();
  return {
    records: gen.count,
    window: [t0, t0 + wallMs],
    wallMs,
    emitDoneMs: wallMs,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    baseRss: 0,
    baseHeap: 0,
    peakRss,
    peakHeap,
    maxRssKb: process.resourceUsage().maxRSS,
    exportLatencyMs: exporter.latencies,
    failedRecords: exporter.failed,
    emitMs: [],
    patterns: s.encoder.patterns,
    dictEntries: s.encoder.dictEntries,
    payloadBytes: s.encoder.payloadBytes,
    transportBytes: s.transport.bytesSent,
    ackedRecords: s.transport.ackedRecords,
  };
}

process.once('message', (job: ChildJob) => {
  (job.soak ? runSoak(job) : runWorkload(job)).then(
    (result) => process.send!({ type: 'result', result }, () => process.exit(0)),
    (err: unknown) => {
      process.send!({ type: 'error', error: err instanceof Error ? err.stack ?? err.message : String(err) }, () => process.exit(1));
    },
  );
});
