/**
 * `otel-stateful-logs demo`: the same records through two real OpenTelemetry SDK pipelines,
 * side by side, with the bytes each one puts on the socket:
 *
 *   app -> LoggerProvider -> StatefulLogRecordProcessor -> StatefulLogExporter
 *       -> counting relay -> embedded receiver (memory sink)
 *   app -> LoggerProvider -> BatchLogRecordProcessor -> official OTLPLogExporter (gRPC, gzip)
 *       -> counting relay -> minimal OTLP/gRPC sink
 *
 * Then every record the receiver rebuilt is compared, field by field, with what the app
 * emitted. Records come from ../shared/corpus/ when present, else from the bundled generator.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import type { Command } from 'commander';
import type * as SdkLogs from '@opentelemetry/sdk-logs';
import type * as Resources from '@opentelemetry/resources';
import type * as OtlpGrpc from '@opentelemetry/exporter-logs-otlp-grpc';
import { DEFAULT_COMPRESSION } from '../config/options';
import type { ResourceData } from '../encoder/log-record';
import { StatefulLogExporter } from '../exporter/stateful-log-exporter';
import { StatefulLogRecordProcessor } from '../processor/stateful-log-record-processor';
import { startReceiver } from '../receiver/server';
import { MemorySink } from '../receiver/sinks/memory-sink';
import { startCountingRelay } from './counting-relay';
import { expectedRecord, findDifference } from './demo-compare';
import { findLoghubDir, loadLoghubRecords } from './demo-corpus';
import { generateDemoRecords, type DemoRecord } from './demo-generator';
import { startOtlpSink } from './otlp-sink';

declare const __filename: string | undefined;

// The OpenTelemetry SDK packages are peers / devDependencies: load them only when the demo runs.
const load = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'noop.js'));

export interface DemoOptions {
  /** Records to generate when the corpus is absent (or `corpus` is false). */
  records?: number;
  /** Use ../shared/corpus when present. Default true. */
  corpus?: boolean;
}

export interface DemoResult {
  source: string;
  records: number;
  stateful: { bytesUp: number; bytesDown: number; millis: number; received: number };
  otlp?: { bytesUp: number; bytesDown: number; millis: number; received: number };
  patterns: number;
  mismatches: number;
  firstMismatch?: string;
}

const RESOURCE_ATTRIBUTES = { 'service.name': 'otel-stateful-logs-demo', 'service.version': '1.0.0', 'host.name': 'demo-host' };
const BATCH = 512;

export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const { records, source } = loadRecords(opts);
  const sdk = load('@opentelemetry/sdk-logs') as typeof SdkLogs;
  const resources = load('@opentelemetry/resources') as typeof Resources;
  const resource = resources.resourceFromAttributes(RESOURCE_ATTRIBUTES);

  // Our pipeline.
  const sink = new MemorySink();
  const receiver = await startReceiver({ listen: '127.0.0.1:0', sink });
  const relay = await startCountingRelay(receiver.port);
  const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${relay.port}` });
  const processor = new StatefulLogRecordProcessor({ exporter, maxExportBatchSize: BATCH, maxQueueSize: records.length, scheduledDelayMillis: 200 });
  let t0 = Date.now();
  await emitAll(new sdk.LoggerProvider({ resource, processors: [processor] }), records);
  const statefulMillis = Date.now() - t0;
  const patterns = patternCount(exporter);
  const stateful = { bytesUp: relay.bytesUp, bytesDown: relay.bytesDown, millis: statefulMillis, received: sink.records.length };
  await relay.close();
  await receiver.close(100);

  // The official exporter, same records, same batch size, gzip.
  let otlp: DemoResult['otlp'];
  let otlpModule: typeof OtlpGrpc | undefined;
  try {
    otlpModule = load('@opentelemetry/exporter-logs-otlp-grpc') as typeof OtlpGrpc;
  } catch {
    console.warn('@opentelemetry/exporter-logs-otlp-grpc is not installed (a devDependency): OTLP comparison skipped');
  }
  if (otlpModule) {
    const otlpSink = await startOtlpSink();
    const otlpRelay = await startCountingRelay(otlpSink.port);
    const otlpExporter = new otlpModule.OTLPLogExporter({
      url: `http://127.0.0.1:${otlpRelay.port}`,
      compression: 'gzip' as never,
    });
    const blrp = new sdk.BatchLogRecordProcessor({
      exporter: otlpExporter as unknown as SdkLogs.LogRecordExporter,
      maxExportBatchSize: BATCH,
      maxQueueSize: records.length,
      scheduledDelayMillis: 200,
    });
    t0 = Date.now();
    await emitAll(new sdk.LoggerProvider({ resource, processors: [blrp] }), records);
    otlp = { bytesUp: otlpRelay.bytesUp, bytesDown: otlpRelay.bytesDown, millis: Date.now() - t0, received: otlpSink.records };
    await otlpRelay.close();
    await otlpSink.close();
  }

  // Every field of every record, in order (one stream, so order is kept).
  const resourceData: ResourceData = { attributes: { ...RESOURCE_ATTRIBUTES } };
  let mismatches = Math.abs(records.length - sink.records.length);
  let firstMismatch = mismatches ? `received ${sink.records.length} of ${records.length} records` : undefined;
  const n = Math.min(records.length, sink.records.length);
  for (let i = 0; i < n; i++) {
    const d = findDifference(expectedRecord(records[i]!, resourceData), sink.records[i], `record[${i}]`);
    if (d) {
      mismatches++;
      firstMismatch ??= d;
    }
  }
  return { source, records: records.length, stateful, otlp, patterns, mismatches, firstMismatch };
}

function loadRecords(opts: DemoOptions): { records: DemoRecord[]; source: string } {
  if (opts.corpus !== false) {
    const roots = [process.cwd()];
    if (typeof __filename === 'string') roots.push(resolve(__filename, '..', '..'));
    const dir = findLoghubDir(roots);
    if (dir) return { records: loadLoghubRecords(dir), source: `Loghub-2k corpus (${dir})` };
  }
  const count = opts.records ?? 16_000;
  return { records: generateDemoRecords(count), source: opts.corpus === false ? 'bundled generator' : 'bundled generator (no ../shared/corpus found)' };
}

/** Emits like an app does: in bursts, letting the event loop breathe between them. */
async function emitAll(provider: SdkLogs.LoggerProvider, records: DemoRecord[]): Promise<void> {
  const loggers = new Map<object, ReturnType<SdkLogs.LoggerProvider['getLogger']>>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    let logger = loggers.get(r.scope);
    if (!logger) {
      logger = provider.getLogger(r.scope.name, r.scope.version, {
        ...(r.scope.schemaUrl ? { schemaUrl: r.scope.schemaUrl } : {}),
        ...(r.scope.attributes ? { scopeAttributes: r.scope.attributes, attributes: r.scope.attributes } : {}),
      } as never);
      loggers.set(r.scope, logger);
    }
    const context: Context | undefined = r.spanContext ? trace.setSpanContext(ROOT_CONTEXT, { ...r.spanContext }) : ROOT_CONTEXT;
    logger.emit({
      timestamp: r.hrTime,
      observedTimestamp: r.hrTimeObserved,
      ...(r.severityNumber !== undefined ? { severityNumber: r.severityNumber } : {}),
      ...(r.severityText !== undefined ? { severityText: r.severityText } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
      ...(r.eventName !== undefined ? { eventName: r.eventName } : {}),
      attributes: r.attributes,
      context,
    } as never);
    if (i % BATCH === BATCH - 1) await yieldToLoop();
  }
  await provider.shutdown();
}

/** Live patterns in the sender's store at the end of the run. */
function patternCount(exporter: StatefulLogExporter): number {
  return exporter.stats().encoder.patterns;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function formatDemoTable(r: DemoResult): string {
  const lines: string[] = [];
  lines.push(`otel-stateful-logs demo: ${fmt(r.records)} records from the ${r.source}`);
  lines.push('');
  const rows: [string, string, string, string][] = [['exporter', 'bytes on the socket', 'per record', 'time']];
  if (r.otlp) rows.push(['OTLP/gRPC + gzip (official)', fmt(r.otlp.bytesUp), (r.otlp.bytesUp / r.records).toFixed(1), `${r.otlp.millis} ms`]);
  rows.push([`otel-stateful-logs (${DEFAULT_COMPRESSION})`, fmt(r.stateful.bytesUp), (r.stateful.bytesUp / r.records).toFixed(1), `${r.stateful.millis} ms`]);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) lines.push(`  ${row[0].padEnd(w[0]!)}  ${row[1].padStart(w[1]!)}  ${row[2].padStart(w[2]!)}  ${row[3].padStart(w[3]!)}`);
  lines.push('');
  if (r.otlp) lines.push(`  ratio: ${(r.otlp.bytesUp / r.stateful.bytesUp).toFixed(2)}x fewer bytes (client -> server; acks back: ${fmt(r.stateful.bytesDown)} vs ${fmt(r.otlp.bytesDown)} bytes)`);
  lines.push(`  patterns learned: ${fmt(r.patterns)}`);
  if (r.otlp && r.otlp.received !== r.records) lines.push(`  OTLP sink received ${fmt(r.otlp.received)} of ${fmt(r.records)} records`);
  lines.push(
    r.mismatches === 0
      ? `  all ${fmt(r.records)} records received identical`
      : `  ${fmt(r.mismatches)} records differ or are missing; first: ${r.firstMismatch}`,
  );
  return lines.join('\n');
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('send the same records through this exporter and the official OTLP/gRPC exporter; compare bytes and check every record')
    .option('--records <n>', 'records to generate when no corpus is used', (v) => Number.parseInt(v, 10), 16_000)
    .option('--no-corpus', 'use the bundled generator even when ../shared/corpus exists')
    .option('--json', 'print the result as JSON')
    .action(async (o: { records: number; corpus: boolean; json?: boolean }) => {
      const result = await runDemo({ records: o.records, corpus: o.corpus });
      console.log(o.json ? JSON.stringify(result, null, 2) : formatDemoTable(result));
      process.exitCode = result.mismatches === 0 ? 0 : 1;
      // Every server and channel is closed; this only guards against a stray handle.
      setTimeout(() => process.exit(), 2000).unref();
    });
}
