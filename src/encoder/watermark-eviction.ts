/**
 * Generic dual-watermark eviction (count AND bytes) for bounded encoder state: patterns
 * (./pattern-store.ts) and the tag dictionary reuse it. It knows nothing about what it evicts:
 * callers describe their entries as {@link EvictionCandidate}s and get back the ids to drop.
 *
 * Policy (after the reference design):
 * - Trigger: count > high × maxCount, or bytes > high × maxBytes.
 * - Bytes over the high mark win: evict lowest-score entries until bytes <= low × maxBytes.
 *   Otherwise evict the lowest-score entries until count <= low × maxCount. One strategy per cycle.
 * - Score = frequency / (1 + ageDays)^decay × (1 + 1 / (1 + hoursSinceAccess / 24)), ageDays
 *   clamped to [0, 365]: rarely used, old and idle entries go first.
 * - Entries younger than the grace period are not evicted (a new pattern gets a chance to prove
 *   itself), unless the hard limits (count > maxCount or bytes > maxBytes) would still be exceeded
 *   without them; then graced entries are evicted too, lowest score first, down to the low
 *   watermark (so that a flood of new entries costs one eviction cycle per (high - low) × max
 *   entries, not one per entry).
 * - `protect(id)` entries are never evicted (e.g. the pattern being returned right now).
 */

/** What the evictor needs to know about one entry. */
export interface EvictionCandidate {
  readonly id: number;
  /** Estimated memory cost in bytes. */
  readonly bytes: number;
  /** Times used (>= 1). */
  readonly frequency: number;
  /** Clock time of creation, ms. */
  readonly createdAtMs: number;
  /** Clock time of last use, ms. */
  readonly lastAccessMs: number;
}

/** Limits and tuning; every field is optional with the defaults below. */
export interface WatermarkEvictionOptions {
  /** Maximum entries. Default 700, minimum 1. */
  maxCount?: number;
  /** Maximum estimated bytes. Default 4 MiB, minimum 1. */
  maxBytes?: number;
  /** Eviction starts above this fraction of a limit. Default 0.95, range (0, 1]. */
  highWatermark?: number;
  /** Eviction stops at this fraction of a limit. Default 0.85, range (0, high]. */
  lowWatermark?: number;
  /** New entries are spared this long, ms. Default 30 000; 0 = no grace. */
  gracePeriodMs?: number;
  /** Age decay exponent of the score. Default 0.5, >= 0. */
  decay?: number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/** Eviction score: lower = evicted first. See the module comment. */
export function evictionScore(c: EvictionCandidate, nowMs: number, decay: number): number {
  const ageDays = Math.min(365, Math.max(0, (nowMs - c.createdAtMs) / MS_PER_DAY));
  const idleHours = Math.max(0, (nowMs - c.lastAccessMs) / MS_PER_HOUR);
  const recency = 1 + 1 / (1 + idleHours / 24);
  return (Math.max(1, c.frequency) / Math.pow(1 + ageDays, decay)) * recency;
}

export class WatermarkEvictor {
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly highWatermark: number;
  readonly lowWatermark: number;
  readonly gracePeriodMs: number;
  readonly decay: number;

  constructor(options: WatermarkEvictionOptions = {}) {
    this.maxCount = Math.max(1, Math.floor(options.maxCount ?? 700));
    this.maxBytes = Math.max(1, Math.floor(options.maxBytes ?? 4 * 1024 * 1024));
    const high = options.highWatermark ?? 0.95;
    this.highWatermark = high > 0 && high <= 1 ? high : 0.95;
    const low = options.lowWatermark ?? 0.85;
    this.lowWatermark = low > 0 && low <= this.highWatermark ? low : Math.min(0.85, this.highWatermark);
    this.gracePeriodMs = Math.max(0, options.gracePeriodMs ?? 30_000);
    this.decay = Math.max(0, options.decay ?? 0.5);
  }

  /** True when `count`/`bytes` are above a high watermark. Cheap: call after every insert. */
  shouldEvict(count: number, bytes: number): boolean {
    return count > this.highWatermark * this.maxCount || bytes > this.highWatermark * this.maxBytes;
  }

  /**
   * Ids to evict, lowest score first, bringing the totals down to the low watermark of the
   * limit that triggered. `count`/`bytes` are the current totals over all candidates.
   */
  selectVictims(
    candidates: readonly EvictionCandidate[],
    count: number,
    bytes: number,
    nowMs: number,
    protect?: (id: number) => boolean,
  ): number[] {
    if (!this.shouldEvict(count, bytes)) return [];
    const byBytes = bytes > this.highWatermark * this.maxBytes;
    const targetCount = Math.floor(this.lowWatermark * this.maxCount);
    const targetBytes = Math.floor(this.lowWatermark * this.maxBytes);
    const done = (c: number, b: number): boolean => (byBytes ? b <= targetBytes : c <= targetCount);
    const hardOk = (c: number, b: number): boolean => c <= this.maxCount && b <= this.maxBytes;

    const scored: Array<{ c: EvictionCandidate; score: number; grace: boolean }> = [];
    for (const c of candidates) {
      if (protect?.(c.id)) continue;
      scored.push({ c, score: evictionScore(c, nowMs, this.decay), grace: nowMs - c.createdAtMs < this.gracePeriodMs });
    }
    scored.sort((a, b) => a.score - b.score || a.c.createdAtMs - b.c.createdAtMs || a.c.id - b.c.id);

    const victims: number[] = [];
    let c = count;
    let b = bytes;
    for (const s of scored) {
      if (done(c, b)) break;
      if (s.grace) continue;
      victims.push(s.c.id);
      c--;
      b -= s.c.bytes;
    }
    if (!hardOk(c, b)) {
      // Grace cannot keep us above the hard limits: take the graced ones too, lowest score first.
      for (const s of scored) {
        if (done(c, b)) break;
        if (!s.grace) continue;
        victims.push(s.c.id);
        c--;
        b -= s.c.bytes;
      }
    }
    return victims;
  }
}
