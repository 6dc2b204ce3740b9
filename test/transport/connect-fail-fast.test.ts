/**
 * A refused connection goes to backoff at once instead of sitting out the connect deadline
 * (connectTimeoutMillis, 10 s by default): the failure is reported (stats, diag) as it
 * happens, retries follow the backoff, and a receiver that appears later on the port gets
 * every record. Real sockets: a loopback port with nothing listening, then a real receiver.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureDiag, type DiagCapture } from '../helpers/diag-capture';
import { makeRecord, SimpleEncoder } from './helpers/simple-codec';
import { startTestReceiver, submitRange, testTransport } from './helpers/loopback';

const cleanups: Array<() => Promise<unknown> | void> = [];
let cap: DiagCapture | undefined;
afterEach(async () => {
  cap?.restore();
  for (const c of cleanups.splice(0).reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(cond: () => boolean, timeoutMillis: number): Promise<boolean> {
  const end = Date.now() + timeoutMillis;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('connection refused', () => {
  it('fails fast (well before the connect deadline), backs off, delivers once a receiver listens', async () => {
    // arrange: nothing listens on the port; the default 10 s connect deadline
    cap = captureDiag();
    const port = await freePort();
    const t = testTransport(`127.0.0.1:${port}`, { connectTimeoutMillis: 10_000, backoff: { initialMillis: 100, maxMillis: 300 } });
    cleanups.push(() => t.shutdown(100));
    const t0 = Date.now();
    // act
    await submitRange(t, new SimpleEncoder(), 0, 50, 10);
    // assert: the first failure is counted and said within a fraction of the deadline
    // (generous bound for a loaded machine; before, it came at 10 s)
    expect(await until(() => t.stats().streamFailures >= 1, 4000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(t.stats().lastError).toMatch(/cannot connect to 127\.0\.0\.1:\d+ \(channel TRANSIENT_FAILURE/);
    expect(cap.warn.join('\n')).toMatch(/stream failed: cannot connect to .*retrying in \d+ ms/);
    // and it keeps retrying on the backoff, not on the deadline
    expect(await until(() => t.stats().streamFailures >= 3, 4000)).toBe(true);
    expect(t.stats().pendingRecords).toBe(50);

    // act: a receiver appears on that port
    const { receiver, sink } = await startTestReceiver({ listen: `127.0.0.1:${port}` });
    cleanups.push(() => receiver.close(100));
    const report = await t.flush(10_000);
    // assert
    expect(report.ok).toBe(true);
    expect(sink.records).toEqual(Array.from({ length: 50 }, (_, i) => makeRecord(i)));
  });

  it('a connection that hangs (TCP accepted, no HTTP/2) is still bounded by the connect deadline', async () => {
    // arrange: a server that accepts and never answers
    const sockets = new Set<net.Socket>();
    const mute = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); mute.close(() => r()); }));
    const port = (mute.address() as net.AddressInfo).port;
    const t = testTransport(`127.0.0.1:${port}`, { connectTimeoutMillis: 400, backoff: { initialMillis: 100, maxMillis: 300 } });
    cleanups.push(() => t.shutdown(10));
    // act
    await submitRange(t, new SimpleEncoder(), 0, 10, 10);
    // assert
    expect(await until(() => t.stats().streamFailures >= 1, 5000)).toBe(true);
    expect(t.stats().lastError).toMatch(/not connected within 400 ms/);
  });
});
