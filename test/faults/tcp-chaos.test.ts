/**
 * Connections cut or stalled at random points by a TCP proxy, the receiver staying up:
 * every record arrives exactly once (replays after a lost ack are recognised by the
 * receiver), in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEncoder } from '../transport/helpers/codecs';
import { makeRecord, seqOf } from '../transport/helpers/simple-codec';
import { startTestReceiver, submitRange, testTransport } from '../transport/helpers/loopback';
import { seeded, startChaosProxy } from './helpers/chaos-proxy';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('TCP proxy that cuts and stalls connections', () => {
  it.each([
    ['none', 20_000],
    // a stream codec: every replay is compressed anew in the new stream's context
    ['deflate-stream', 10_000],
  ] as const)('loses nothing and duplicates nothing (%s)', async (compression, N) => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
    const { receiver, sink } = await startTestReceiver({}, 'stateful');
    cleanups.push(() => receiver.close(100));
    // Budgets scale with the codec so that both see a few dozen faults.
    const scale = compression === 'none' ? 1 : 0.1;
    const proxy = await startChaosProxy(receiver.port, { minBytes: 2_000 * scale, maxBytes: 30_000 * scale, stallRatio: 0.25, random: seeded(seed) });
    cleanups.push(() => proxy.close());
    const t = testTransport(`127.0.0.1:${proxy.port}`, {
      compression,
      ackTimeoutMillis: 300,
      connectTimeoutMillis: 1000,
      maxInflightBatches: 8,
      backoff: { initialMillis: 10, maxMillis: 100 },
    });
    cleanups.push(() => t.shutdown(100));
    await submitRange(t, makeEncoder('stateful'), 0, N, 100);
    const report = await t.flush(60_000);
    const got = sink.records.map((r) => seqOf(r.body));
    const stats = receiver.stats();
    console.log(
      `[chaos ${compression} seed=${seed}] ${N} records, ${proxy.connections} connections, ${proxy.cuts} cuts, ${proxy.stalls} stalls, ` +
        `${report.streamsOpened} streams, ${proxy.bytes} bytes relayed, ${report.resentBatches} batches resent, receiver skipped ${stats.duplicateBatches} replayed batches`,
    );
    expect(report.ok, `seed ${seed}: ${JSON.stringify(report)}`).toBe(true);
    expect(proxy.cuts + proxy.stalls).toBeGreaterThan(5);
    expect(got.length, `seed ${seed}`).toBe(N);
    expect(got).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(sink.records).toEqual(Array.from({ length: N }, (_, i) => makeRecord(i)));
  });
});
