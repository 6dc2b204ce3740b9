/**
 * Sender -> receiver on loopback, through a byte-counting relay (TCP_NODELAY on both
 * legs): records/s end to end (encode + stream + decode + sink), records/s of the
 * transport alone (pre-encoded batches), and bytes on the socket per record — next to
 * the official OTLP/gRPC exporter with gzip sending the same records to a fake
 * Collector through the same kind of relay. Sender and receiver share this process
 * (and its one JS thread), so the figures are a floor for a real two-host setup.
 *
 * Usage: npx tsx bench/transport-loopback.bench.ts [RECORDS] [FILE[.gz]] [--codecs a,b,c] [--reps N]
 *   (default 200,000 records cycled from ../shared/corpus/large/Apache.log.gz)
 *   --codecs zstd,gzip,deflate-stream  compare only these transport codecs (encode+send+decode),
 *                                      each run N times in rotating order, medians reported, plus
 *                                      the codec alone (compress on the sender, decompress on the
 *                                      receiver) on the same encoded batches
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { compress, decompress, initCompression, StreamCompressor, StreamDecompressor } from '../src/encoder/compression';
import type { LogRecordData } from '../src/encoder/log-record';
import { PatternStore } from '../src/encoder/pattern-store';
import { StatefulEncoder, type EncodedBatch } from '../src/encoder/stateful-encoder';
import { startReceiver } from '../src/receiver/server';
import type { RecordSink } from '../src/receiver/sinks/sink';
import { ReadableRecordBuilder } from '../src/receiver/sinks/otlp-forward-sink';
import { StreamTransport } from '../src/transport/stream-worker';
import type { TransportCompression } from '../src/transport/transport-options';
import { startCountingRelay } from '../src/cli/counting-relay';

const flags = new Map<string, string>();
const positional: string[] = [];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a.startsWith('--')) flags.set(a.slice(2), process.argv[++i] ?? '');
  else positional.push(a);
}
const N = Number(positional[0] ?? 200_000);
const file = positional[1] ?? resolve(__dirname, '..', '..', 'shared', 'corpus', 'large', 'Apache.log.gz');
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
  /** Process CPU (user + system) during the run: sender, relay and receiver share it. */
  cpuSeconds: number;
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
  const relay = await startCountingRelay(receiver.port);
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
  const run = { name: `stateful ${compression}${preEncoded ? ' (transport only, pre-encoded)' : ' (encode+send+decode)'}`, seconds, cpuSeconds, bytesUp: relay.bytesUp, bytesDown: relay.bytesDown };
  await relay.close();
  if (records.length === N && !flags.has('codecs')) console.log(`  cpu ${cpuSeconds.toFixed(2)} s for ${run.name}; peak window ${report.peakInflightBatches} batches / ${report.peakInflightBytes} B`);
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
  const relay = await startCountingRelay(port);
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
  const cpuSeconds = cpu() - c0;
  console.log(`  cpu ${cpuSeconds.toFixed(2)} s for the official exporter (its fake Collector does not decode)`);
  await exporter.shutdown();
  server.forceShutdown();
  const run = { name: 'official OTLP/gRPC exporter, gzip (one export in flight)', seconds, cpuSeconds, bytesUp: relay.bytesUp, bytesDown: relay.bytesDown };
  await relay.close();
  if (received === 0) throw new Error('fake collector received nothing');
  return run;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The codec alone on the encoded batches: sender-side compress, receiver-side decompress. */
function codecOnly(batches: EncodedBatch[], codec: TransportCompression): { compressUs: number; decompressUs: number; bytes: number } {
  let bytes = 0;
  const frames: Uint8Array[] = [];
  const c0 = cpu();
  if (codec === 'deflate-stream') {
    const c = new StreamCompressor();
    for (const b of batches) frames.push(c.compress(b.payload));
  } else {
    for (const b of batches) frames.push(compress(codec, b.payload));
  }
  const c1 = cpu();
  if (codec === 'deflate-stream') {
    const d = new StreamDecompressor();
    for (const f of frames) d.decompress(f, 64 << 20);
  } else {
    for (const f of frames) decompress(codec, f, 64 << 20);
  }
  const c2 = cpu();
  for (const f of frames) bytes += f.byteLength;
  return { compressUs: ((c1 - c0) * 1e6) / N, decompressUs: ((c2 - c1) * 1e6) / N, bytes };
}

async function compareCodecs(records: LogRecordData[], codecs: TransportCompression[], reps: number): Promise<void> {
  for (const c of codecs) await runStateful(records.slice(0, 50_000), c, false); // warm-up
  const results = new Map<TransportCompression, Run[]>(codecs.map((c) => [c, []]));
  for (let r = 0; r < reps; r++) {
    // Rotate the order so no codec always runs first (GC, machine load).
    for (let k = 0; k < codecs.length; k++) {
      const c = codecs[(k + r) % codecs.length]!;
      results.get(c)!.push(await runStateful(records, c, false));
    }
  }
  const encoder = new StatefulEncoder({ patternStore: new PatternStore() });
  const batches: EncodedBatch[] = [];
  for (let i = 0; i < records.length; i += BATCH) batches.push(encoder.encode(records.slice(i, i + BATCH)));
  const payloadBytes = batches.reduce((n, b) => n + b.payload.byteLength, 0);
  console.log('');
  console.log(`codec comparison: ${reps} runs each, medians; encoded payload ${(payloadBytes / N).toFixed(2)} B/record before compression`);
  console.log(
    `${'codec'.padEnd(16)} ${'B/record up'.padStart(12)} ${'cpu us/rec e2e'.padStart(15)} ${'records/s'.padStart(10)} ${'compress us/rec'.padStart(16)} ${'decompress us/rec'.padStart(18)} ${'frame B/rec'.padStart(12)}`,
  );
  for (const c of codecs) {
    const runs = results.get(c)!;
    const only = [0, 1, 2].map(() => codecOnly(batches, c));
    console.log(
      `${c.padEnd(16)} ${median(runs.map((r) => r.bytesUp / N)).toFixed(2).padStart(12)} ${median(runs.map((r) => (r.cpuSeconds * 1e6) / N)).toFixed(2).padStart(15)} ${median(runs.map((r) => N / r.seconds)).toFixed(0).padStart(10)} ${median(only.map((o) => o.compressUs)).toFixed(2).padStart(16)} ${median(only.map((o) => o.decompressUs)).toFixed(2).padStart(18)} ${(only[0]!.bytes / N).toFixed(2).padStart(12)}`,
    );
  }
}

async function main(): Promise<void> {
  const lines = loadLines();
  const records = makeRecords(lines);
  if (flags.has('codecs')) {
    const codecs = flags.get('codecs')!.split(',') as TransportCompression[];
    console.log(`transport codec comparison: ${N} records (${lines.length} distinct bodies from ${existsSync(file) ? file : 'synthetic'}), batches of ${BATCH}, node ${process.version}`);
    await initCompression();
    await compareCodecs(records, codecs, Number(flags.get('reps') ?? 3));
    return;
  }
  console.log(`transport loopback bench: ${N} records (${lines.length} distinct bodies from ${existsSync(file) ? file : 'synthetic'}), batches of ${BATCH}, node ${process.version}`);
  // Warm-up (JIT, zstd wasm, gRPC): not reported.
  await runStateful(records.slice(0, 50_000), 'zstd', false);
  await runStateful(records.slice(0, 50_000), 'gzip', false);
  await runStateful(records.slice(0, 50_000), 'deflate-stream', false);
  const runs: Run[] = [];
  runs.push(await runStateful(records, 'zstd', false));
  runs.push(await runStateful(records, 'zstd', true));
  runs.push(await runStateful(records, 'gzip', false));
  runs.push(await runStateful(records, 'deflate-stream', false));
  runs.push(await runStateful(records, 'none', false));
  runs.push(await runOtlpGzip(records));
  console.log('');
  console.log(`${'run'.padEnd(62)} ${'records/s'.padStart(10)} ${'cpu us/rec'.padStart(11)} ${'B/record up'.padStart(12)} ${'B/record down'.padStart(14)}`);
  for (const r of runs) {
    console.log(
      `${r.name.padEnd(62)} ${(N / r.seconds).toFixed(0).padStart(10)} ${((r.cpuSeconds * 1e6) / N).toFixed(2).padStart(11)} ${(r.bytesUp / N).toFixed(2).padStart(12)} ${(r.bytesDown / N).toFixed(3).padStart(14)}`,
    );
  }
  const ours = runs[0]!;
  const otlp = runs[runs.length - 1]!;
  const stream = runs.find((r) => r.name.startsWith('stateful deflate-stream'))!;
  console.log(`\nbytes on the socket (up): OTLP/gRPC+gzip / stateful+zstd = ${(otlp.bytesUp / ours.bytesUp).toFixed(2)}x`);
  console.log(`bytes on the socket (up): OTLP/gRPC+gzip / stateful+deflate-stream (the default) = ${(otlp.bytesUp / stream.bytesUp).toFixed(2)}x`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
