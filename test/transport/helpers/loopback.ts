/** Test wiring: an in-process receiver with the simple codec, and a transport pointed at it. */
import { startReceiver, type ReceiverOptions, type RunningReceiver } from '../../../src/receiver/server';
import { MemorySink } from '../../../src/receiver/sinks/memory-sink';
import { StreamTransport } from '../../../src/transport/stream-worker';
import type { TransportOptions } from '../../../src/transport/transport-options';
import { makeDecoderFactory, type CodecKind, type TestEncoder } from './codecs';
import { makeRecord } from './simple-codec';

export async function startTestReceiver(
  o: Partial<ReceiverOptions> = {},
  codec: CodecKind = 'simple',
): Promise<{ receiver: RunningReceiver; sink: MemorySink }> {
  const sink = (o.sink as MemorySink | undefined) ?? new MemorySink();
  const receiver = await startReceiver({
    listen: '127.0.0.1:0',
    decoderFactory: makeDecoderFactory(codec),
    ...o,
    sink,
  });
  return { receiver, sink };
}

export function testTransport(endpoint: string, o: Partial<TransportOptions> = {}): StreamTransport {
  return new StreamTransport({
    endpoint,
    insecure: true,
    backoff: { initialMillis: 50, maxMillis: 500 },
    connectTimeoutMillis: 2000,
    ...o,
  });
}

/** Encodes records [from, to) in batches of `size` and submits them in order. */
export async function submitRange(t: StreamTransport, enc: TestEncoder, from: number, to: number, size: number): Promise<void> {
  for (let i = from; i < to; i += size) {
    const recs = [];
    for (let j = i; j < Math.min(to, i + size); j++) recs.push(makeRecord(j));
    await t.submit(enc.encode(recs));
  }
}
