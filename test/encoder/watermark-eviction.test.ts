import { describe, expect, it } from 'vitest';
import { evictionScore, WatermarkEvictor, type EvictionCandidate } from '../../src/encoder/watermark-eviction';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function cand(id: number, over: Partial<EvictionCandidate> = {}): EvictionCandidate {
  return { id, bytes: 100, frequency: 1, createdAtMs: 0, lastAccessMs: 0, ...over };
}

describe('evictionScore', () => {
  const now = 10 * DAY;
  it('grows with frequency', () => {
    expect(evictionScore(cand(1, { frequency: 10, createdAtMs: now, lastAccessMs: now }), now, 0.5)).toBeGreaterThan(
      evictionScore(cand(2, { frequency: 2, createdAtMs: now, lastAccessMs: now }), now, 0.5),
    );
  });
  it('decays with age: freq / (1 + ageDays)^decay', () => {
    const young = evictionScore(cand(1, { frequency: 4, createdAtMs: now, lastAccessMs: now }), now, 0.5);
    const old = evictionScore(cand(2, { frequency: 4, createdAtMs: now - 3 * DAY, lastAccessMs: now }), now, 0.5);
    expect(young).toBeCloseTo(4 * 2, 10); // recency factor 1 + 1/(1+0) = 2
    expect(old).toBeCloseTo((4 / Math.sqrt(4)) * 2, 10);
  });
  it('prefers recently accessed entries (recency factor between 1 and 2)', () => {
    const fresh = evictionScore(cand(1, { createdAtMs: now, lastAccessMs: now }), now, 0.5);
    const idle = evictionScore(cand(2, { createdAtMs: now, lastAccessMs: now - 48 * HOUR }), now, 0.5);
    expect(fresh).toBeCloseTo(2, 10);
    expect(idle).toBeCloseTo(1 + 1 / 3, 10);
  });
  it('clamps age to 365 days and handles clocks going backwards', () => {
    const ancient = evictionScore(cand(1, { createdAtMs: now - 5000 * DAY, lastAccessMs: now }), now, 1);
    expect(ancient).toBeCloseTo((1 / 366) * 2, 10);
    const future = evictionScore(cand(2, { createdAtMs: now + DAY, lastAccessMs: now + DAY }), now, 1);
    expect(future).toBeCloseTo(2, 10);
  });
});

describe('WatermarkEvictor', () => {
  it('triggers above the high watermark of either limit', () => {
    const ev = new WatermarkEvictor({ maxCount: 100, maxBytes: 10_000, highWatermark: 0.9, lowWatermark: 0.5 });
    expect(ev.shouldEvict(90, 0)).toBe(false);
    expect(ev.shouldEvict(91, 0)).toBe(true);
    expect(ev.shouldEvict(1, 9000)).toBe(false);
    expect(ev.shouldEvict(1, 9001)).toBe(true);
  });

  it('evicts by count down to the low watermark, lowest score first', () => {
    const ev = new WatermarkEvictor({ maxCount: 10, maxBytes: 1e9, highWatermark: 0.9, lowWatermark: 0.5, gracePeriodMs: 0 });
    const now = DAY;
    // frequency = id, so the lowest ids score lowest
    const cs = Array.from({ length: 10 }, (_, k) => cand(k + 1, { frequency: k + 1, createdAtMs: now, lastAccessMs: now }));
    const victims = ev.selectVictims(cs, 10, 1000, now);
    expect(victims).toEqual([1, 2, 3, 4, 5]);
  });

  it('bytes over the high mark win over count and evict down to the low byte mark', () => {
    const ev = new WatermarkEvictor({ maxCount: 100, maxBytes: 1000, highWatermark: 0.9, lowWatermark: 0.5, gracePeriodMs: 0 });
    const now = DAY;
    const cs = [
      cand(1, { bytes: 400, frequency: 1, createdAtMs: now, lastAccessMs: now }),
      cand(2, { bytes: 300, frequency: 5, createdAtMs: now, lastAccessMs: now }),
      cand(3, { bytes: 250, frequency: 9, createdAtMs: now, lastAccessMs: now }),
    ];
    // count (3 of 100) is far below its mark; bytes decide: 950 -> 550 -> 250 <= 500
    expect(ev.selectVictims(cs, 3, 950, now)).toEqual([1, 2]);
  });

  it('keeps evicting bytes until at or below the low mark', () => {
    const ev = new WatermarkEvictor({ maxCount: 100, maxBytes: 1000, highWatermark: 0.9, lowWatermark: 0.5, gracePeriodMs: 0 });
    const now = DAY;
    const cs = [
      cand(1, { bytes: 300, frequency: 1, createdAtMs: now, lastAccessMs: now }),
      cand(2, { bytes: 300, frequency: 5, createdAtMs: now, lastAccessMs: now }),
      cand(3, { bytes: 350, frequency: 9, createdAtMs: now, lastAccessMs: now }),
    ];
    expect(ev.selectVictims(cs, 3, 950, now)).toEqual([1, 2]);
  });

  it('spares entries within the grace period, and never touches protected ones', () => {
    const ev = new WatermarkEvictor({ maxCount: 10, maxBytes: 1e9, highWatermark: 0.9, lowWatermark: 0.5, gracePeriodMs: 30_000 });
    const now = 100_000;
    const cs = Array.from({ length: 10 }, (_, k) =>
      cand(k + 1, { frequency: k + 1, createdAtMs: k < 3 ? now - 1000 : 0, lastAccessMs: now }),
    );
    const victims = ev.selectVictims(cs, 10, 0, now, (id) => id === 4);
    expect(victims).toEqual([5, 6, 7, 8, 9]); // 1..3 in grace, 4 protected
  });

  it('takes graced entries when the hard limit would still be exceeded', () => {
    const ev = new WatermarkEvictor({ maxCount: 4, maxBytes: 1e9, highWatermark: 0.9, lowWatermark: 0.5, gracePeriodMs: 30_000 });
    const now = 100_000;
    const cs = Array.from({ length: 6 }, (_, k) => cand(k + 1, { frequency: k + 1, createdAtMs: now, lastAccessMs: now }));
    const victims = ev.selectVictims(cs, 6, 0, now);
    expect(victims).toEqual([1, 2, 3, 4]); // all in grace, over the hard limit (4): down to low (2)
  });

  it('returns nothing below the high watermark', () => {
    const ev = new WatermarkEvictor({ maxCount: 10 });
    expect(ev.selectVictims([cand(1)], 1, 100, 0)).toEqual([]);
  });

  it('clamps bad options to sane values', () => {
    const ev = new WatermarkEvictor({ maxCount: 0, maxBytes: -5, highWatermark: 2, lowWatermark: 5, gracePeriodMs: -1, decay: -1 });
    expect(ev.maxCount).toBe(1);
    expect(ev.maxBytes).toBe(1);
    expect(ev.highWatermark).toBe(0.95);
    expect(ev.lowWatermark).toBeLessThanOrEqual(ev.highWatermark);
    expect(ev.gracePeriodMs).toBe(0);
    expect(ev.decay).toBe(0);
  });
});
