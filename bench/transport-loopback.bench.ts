/**
 * Sender -> receiver on loopback, through a byte-counting relay (TCP_NODELAY on both
 * legs): records/s end to end (encode + stream + decode + sink), records/s of the
 * transport alone (pre-encoded batches), and bytes on the socket per record — next to
 * the official OTLP/gRPC exporter with gzip sending the same records to a fake
 * Collector through the same kind of relay. Sender and receiver share this process
 * (and its one JS thread), so the figures are a floor for a real two-host setup.
 *
 * Usage: npx tsx bench/transport-loopback.bench.ts [RECORDS] [FILE.gz]
 *   (default 200,000 records cycled from ../shared/corpus/large/Apache.log.gz)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import type { LogRecordData } from '../src/encoder/log-record';
import { PatternStore } from '../src/encoder/pattern-store';
import { StatefulEncoder, type EncodedBatch } from '../src/encoder/stateful-encoder';
import { startReceiver } from '../src/receiver/server';
import type { RecordSink } from '../src/receiver/sinks/sink';
import { ReadableRecordBuilder } from '../src/receiver/sinks/otlp-forward-sink';
import { StreamTransport } from '../src/transport/stream-worker';
import type { TransportCompression } from '../src/transport/transport-options';
import { startNoDelayRelay } from './lib/nodelay-relay';

const N = Number(process.argv[2] ?? 200_000);
const file = process.argv[3] ?? resolve(__dirname, '..', '..', 'shared', 'corpus', 'large', 'Apache.log.gz');
const BATCH = 512;

function loadLines(): string[] {
  if (!existsSync(file)) {
    console.warn(`transport bench: ${file} not found (corpus absent): using synthetic lines`);
    return Array.from({ length: 5000 }, (_, i) => `GET /api/items/${i % 97} 200 ${(i * 7) % 1000}ms user=${i % 13}`);
  }
  const raw = readFileSync(file);
  const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
  return lines.filter((l) => l.length > 0);
}

function makeRecords(lines: string[]): LogRecordData[] {
  const resource = { attributes: { 'service.name': 'bench', 'host.name': 'bench-host-1' } };
  const scope = { name: 'bench-logger', version: '1.0.0' };
  const base = 1_750_000_000;
  return Array.from({ length: N }, (_, i) => {
    const t: [number, number] = [base + Math.floor(i / 1000), (i % 1000) * 1_000_000 + 123];
    return {
      hrTime: t,
      hrTimeObserved: [t[0], t[1] + 50_000],
      severityNumber: 9,
      severityText: 'INFO',
      body: lines[i % lines.length]!,
      attributes: { 'log.file.name': 'access.log' },
      droppedAttributesCount: 0,
      resource,
      scope,
    };
  });
}

/** Counts records; keeps nothing (the sink must not dominate the measurement). */
class CountingSink implements RecordSink {
  records = 0;
  write(records: LogRecordData[]): void {
    this.records += records.length;
  }
}

interface Run {
  name: string;
  seconds: number;
  bytesUp: number;
  bytesDown: number;
}

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function runStateful(records: LogRecordData[], compression: TransportCompression, preEncoded: boolean): Promise<Run> {
  const sink = new CountingSink();
  const receiver = await startReceiver({ listen: '127.0.0.1:0', sink });
  const relay = await startNoDelayRelay(receiver.port);
  const transport = new StreamTransport({ endpoint: `127.0.0.1:${relay.port}`, insecure: true, compression });
  const encoder = new StatefulEncoder({ patternStore: new PatternStore() });
  let batches: EncodedBatch[] | undefined;
  if (preEncoded) {
    batches = [];
    for (let i = 0; i < records.length; i += BATCH) batches.push(encoder.encode(records.slice(i, i + BATCH)));
  }
  const c0 = cpu();
  const t0 = process.hrtime.bigint();
  if (batches) for (const b of batches) await transport.submit(b);
  else for (let i = 0; i < records.length; i += BATCH) await transport.submit(encoder.encode(records.slice(i, i + BATCH)));
  const report = await transport.flush(120_000);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = cpu() - c0;
  if (!report.ok || sink.records !== records.length) throw new Error(`not all delivered: ${JSON.stringify(report)}`);
  await transport.shutdown(1000);
  await receiver.close(100);
  const run = { name: `stateful ${compression}${preEncoded ? ' (transport only, pre-encoded)' : ' (encode+send+decode)'}`, seconds, bytesUp: relay.bytesUp, bytesDown: relay.bytesDown };
  await relay.close();
  if (records.length === N) console.log(`  cpu ${cpuSeconds.toFixed(2)} s for ${run.name}; peak window ${report.peakInflightBatches} batches / ${report.peakInflightBytes} B`);
  return run;
}

async function runOtlpGzip(records: LogRecordData[]): Promise<Run> {
  const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-grpc');
  let received = 0;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const identity = (b: Buffer) => b;
  server.addService(
    { Export: { path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export', requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
    { Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => { received += call.request.length; cb(null, Buffer.alloc(0)); } },
  );
  const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const relay = await startNoDelayRelay(port);
  const exporter = new OTLPLogExporter({ url: `http://127.0.0.1:${relay.port}`, compression: 'gzip' as never });
  const builder = new ReadableRecordBuilder();
  const shaped = records.map((r) => builder.build(r));
  const c0 = cpu();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < shaped.length; i += BATCH) {
    await new Promise<void>((res, rej) =>
      exporter.export(shaped.slice(i, i + BATCH) as never, (r: { code: number; error?: Error }) => (r.code === 0 ? res() : rej(r.error))),
    );
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`  cpu ${(cpu() - c0).toFixed(2)} s for the official exporter (its fake Collector does not decode)`);
  await exporter.shutdown();
  server.forceShutdown();
  const run = { name: 'official OTLP/gRPC exporter, gzip (one export in flight)', seconds, bytesUp: relay.bytesUp, bytesDown: relay.bytesDown };
  await relay.close();
  if (received === 0) throw new Error('fake collector received nothing');
  return run;
}

async function main(): Promise<void> {
  const lines = loadLines();
  const records = makeRecords(lines);
  console.log(`transport loopback bench: ${N} records (${lines.length} distinct bodies from ${existsSync(file) ? file : 'synthetic'}), batches of ${BATCH}, node ${process.version}`);
  // Warm-up (JIT, zstd wasm, gRPC): not reported.
  await runStateful(records.slice(0, 50_000), 'zstd', false);
  await runStateful(records.slice(0, 50_000), 'gzip', false);
  const runs: Run[] = [];
  runs.push(await runStateful(records, 'zstd', false));
  runs.push(await runStateful(records, 'zstd', true));
  runs.push(await runStateful(records, 'gzip', false));
  runs.push(await runStateful(records, 'deflate-stream', false));
  runs.push(await runStateful(records, 'none', false));
  runs.push(await runOtlpGzip(records));
  console.log('');
  console.log(`${'run'.padEnd(62)} ${'records/s'.padStart(10)} ${'B/record up'.padStart(12)} ${'B/record down'.padStart(14)}`);
  for (const r of runs) {
    console.log(
      `${r.name.padEnd(62)} ${(N / r.seconds).toFixed(0).padStart(10)} ${(r.bytesUp / N).toFixed(2).padStart(12)} ${(r.bytesDown / N).toFixed(3).padStart(14)}`,
    );
  }
  const ours = runs[0]!;
  const otlp = runs[runs.length - 1]!;
  console.log(`\nbytes on the socket (up): OTLP/gRPC+gzip / stateful+zstd = ${(otlp.bytesUp / ours.bytesUp).toFixed(2)}x`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
