/**
 * The default compression is `deflate-stream` (chosen from bench/transport-loopback.bench.ts
 * --codecs: fewest bytes on the socket on every corpus file, at a small compressor CPU cost;
 * figures in TransportOptions.compression). Checked on the wire: the receiver counts frames
 * by the compression they arrive in. Real transport, exporter and receiver on loopback.
 */
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvConfiguration } from '../../src/config/env-configuration';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulLogExporter } from '../../src/exporter/stateful-log-exporter';
import { startReceiver } from '../../src/receiver/server';
import { MemorySink } from '../../src/receiver/sinks/memory-sink';
import { StreamTransport } from '../../src/transport/stream-worker';
import { makeRecord, SimpleEncoder } from './helpers/simple-codec';
import { startTestReceiver, submitRange } from './helpers/loopback';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('default compression', () => {
  it('a transport given no compression sends deflate-stream frames, delivered intact', async () => {
    const { receiver, sink } = await startTestReceiver();
    cleanups.push(() => receiver.close(100));
    const t = new StreamTransport({ endpoint: receiver.address, insecure: true });
    cleanups.push(() => t.shutdown(1000));
    await submitRange(t, new SimpleEncoder(), 0, 300, 50);
    expect((await t.flush(5000)).ok).toBe(true);
    expect(sink.records).toEqual(Array.from({ length: 300 }, (_, i) => makeRecord(i)));
    expect(receiver.stats().framesByCompression).toEqual({ 'deflate-stream': 6 });
  });

  it('an exporter configured by nothing (no option, no env) does too', async () => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (/^OTEL_EXPORTER_/.test(k)) delete process.env[k];
    cleanups.push(async () => { process.env = saved; });
    const sink = new MemorySink();
    const receiver = await startReceiver({ listen: '127.0.0.1:0', sink, decoderFactory: () => new StatefulDecoder() });
    cleanups.push(() => receiver.close(100));
    const records: ReadableLogRecord[] = [];
    const capture: LogRecordProcessor = { onEmit: (r) => { records.push(r); }, forceFlush: async () => {}, shutdown: async () => {} };
    const logger = new LoggerProvider({ processors: [capture] }).getLogger('default-codec');
    for (let i = 0; i < 20; i++) logger.emit({ body: `request ${i} served in ${i * 3} ms` });
    const exporter = new StatefulLogExporter({ url: `http://127.0.0.1:${receiver.port}` });
    await new Promise((resolve) => exporter.export(records, resolve));
    await exporter.shutdown();
    expect(sink.records.map((r) => r.body)).toEqual(records.map((r) => r.body));
    expect(Object.keys(receiver.stats().framesByCompression)).toEqual(['deflate-stream']);
  });

  it('the per-batch codecs stay selectable, by option and by env', async () => {
    expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_COMPRESSION: 'zstd' }).compression).toBe('zstd');
    expect(readEnvConfiguration({ OTEL_EXPORTER_STATEFUL_LOGS_COMPRESSION: 'deflate-stream' }).compression).toBe('deflate-stream');
    const { receiver } = await startTestReceiver();
    cleanups.push(() => receiver.close(100));
    const t = new StreamTransport({ endpoint: receiver.address, insecure: true, compression: 'zstd' });
    cleanups.push(() => t.shutdown(1000));
    await submitRange(t, new SimpleEncoder(), 0, 100, 50);
    expect((await t.flush(5000)).ok).toBe(true);
    expect(receiver.stats().framesByCompression).toEqual({ zstd: 2 });
  });
});
