import { describe, expect, it } from 'vitest';
import { InflightWindow, type InflightEntry } from '../../src/transport/inflight-window';

function entry(seq: number, bytes: number): InflightEntry {
  return { seq, data: new Uint8Array(1), compression: 0, uncompressedSize: bytes, recordCount: 1, stateChanges: [], bytes, streamBatchId: 0, sends: 0, deliverySeq: 0 };
}

describe('InflightWindow', () => {
  it('admits by count and bytes, in FIFO order, and wakes waiters on shift', async () => {
    const w = new InflightWindow(2, 100);
    const order: number[] = [];
    await w.acquire(40);
    w.push(entry(1, 40));
    await w.acquire(40);
    w.push(entry(2, 40));
    const third = w.acquire(10).then(() => { order.push(3); w.push(entry(3, 10)); });
    const fourth = w.acquire(50).then(() => { order.push(4); w.push(entry(4, 50)); });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    w.shift(); // frees one slot: 3 fits (count 2, 50 bytes); 4 does not (count)
    await third;
    expect(order).toEqual([3]);
    w.shift(); // now 4 fits: 10 + 50 <= 100
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(w.peakBatches).toBe(2);
    expect(w.peakBytes).toBeLessThanOrEqual(100);
  });

  it('lets one oversized batch through alone', async () => {
    const w = new InflightWindow(4, 100);
    await w.acquire(500);
    w.push(entry(1, 500));
    let admitted = false;
    const next = w.acquire(1).then(() => { admitted = true; });
    await new Promise((r) => setTimeout(r, 5));
    expect(admitted).toBe(false);
    w.shift();
    await next;
    expect(admitted).toBe(true);
  });

  it('tracks the sent prefix and resets it for a new stream', () => {
    const w = new InflightWindow(4, 1000);
    for (let i = 1; i <= 3; i++) {
      void w.acquire(1);
      w.push(entry(i, 1));
    }
    w.markSent(w.nextUnsent()!, 1);
    w.markSent(w.nextUnsent()!, 2);
    expect(w.sentCount).toBe(2);
    expect(w.nextUnsent()!.seq).toBe(3);
    w.resetSent();
    expect(w.nextUnsent()!.seq).toBe(1);
    expect(() => w.markSent(w.all()[1]!, 1)).toThrow(/out of order/);
  });

  it('rejects waiters on demand', async () => {
    const w = new InflightWindow(1, 10);
    await w.acquire(1);
    w.push(entry(1, 1));
    const p = w.acquire(1);
    w.rejectWaiters(new Error('closed'));
    await expect(p).rejects.toThrow('closed');
  });
});
