/**
 * The sender's tag dictionary: strings (value shapes, severity texts), key lists,
 * attribute sets, resources and scopes, each defined once per stream and then referenced
 * by id. It only decides *which* content gets an id and when an id goes away; the caller
 * builds the DictEntryDefine / DictEntryDelete datums.
 *
 * - Lazy promotion: content seen once (a request id) must not flood the table. A bounded
 *   candidate set counts sightings; content is admitted on its `admitAfter`-th sighting
 *   (short strings, and content the caller marks as always-worth-it, at once).
 * - Bounded: count and (estimated) byte limits with dual watermarks (the shared
 *   WatermarkEvictor: above `high × max`, lowest-score entries go down to `low × max`).
 *   Eviction runs only when the caller asks (`evict()`, after a record's Log is written),
 *   so an entry referenced by the record being written is never deleted under it.
 * - Ids are never reused: re-admitting evicted content gives it a new id.
 */

export interface TagDictionaryOptions {
  /** Maximum entries (default 700). */
  maxEntries?: number;
  /** Maximum estimated bytes (default 4 MiB). */
  maxBytes?: number;
  /** Eviction starts above this fraction of a limit (default 0.80). */
  highWatermark?: number;
  /** …and stops below this fraction (default 0.70). */
  lowWatermark?: number;
  /** Sightings before content is admitted (default 2). */
  admitAfter?: number;
  /** Candidates tracked for lazy promotion, per key namespace (default 4096). */
  maxCandidates?: number;
  /** Strings up to this many code units are admitted at first sight (default 8). */
  admitShortLength?: number;
}

import { WatermarkEvictor, type EvictionCandidate } from './watermark-eviction';

/** Largest admission multiplier (see TagDictionary.admitBoost). */
export const MAX_ADMIT_BOOST = 16;
/** A victim used at most this often (the admission counts as one) was not worth its define. */
const WASTED_FREQUENCY = 2;

/** Per-entry overhead added to the content size in the byte estimate. */
export const ENTRY_OVERHEAD_BYTES = 64;

/**
 * Key namespaces: one map each, so that callers need not prefix keys (a string concatenation
 * and a re-hash per look-up). {@link NS_OTHER} keys must carry their own kind prefix.
 */
export const NS_OTHER = 0;
/** Plain strings (value shapes, severity texts), keyed by the string itself. */
export const NS_TEXT = 1;
const NAMESPACES = 2;

interface Entry extends EvictionCandidate {
  readonly key: string;
  readonly ns: number;
  frequency: number;
  lastAccessMs: number;
}

export class TagDictionary {
  readonly maxEntries: number;
  readonly maxBytes: number;
  private readonly high: number;
  private readonly low: number;
  private readonly evictor: WatermarkEvictor;
  private readonly byId = new Map<number, Entry>();
  /** Clock for eviction scores; callers refresh it once per batch (`tick`). */
  private nowMs = Date.now();
  private readonly admitAfter: number;
  private readonly maxCandidates: number;
  readonly admitShortLength: number;

  private readonly maps: Map<string, Entry>[] = [];
  private readonly candidateMaps: Map<string, number>[] = [];
  private count = 0;
  /** Scratch of evict(): uses of each victim. */
  private readonly victimFrequency = new Map<number, number>();
  private nextId = 1;
  private totalBytes = 0;
  /** Entries evicted over the dictionary's life. */
  evictions = 0;
  /**
   * Multiplier of the sightings needed for admission (1 = as configured). Under eviction
   * pressure, when most victims were barely used after their define (each cost a define and a
   * delete on the wire for nothing: high-cardinality values that repeat now and then), the bar
   * doubles (up to {@link MAX_ADMIT_BOOST}); when victims were well used, it halves back.
   */
  admitBoost = 1;

  constructor(o: TagDictionaryOptions = {}) {
    this.maxEntries = o.maxEntries ?? 700;
    this.maxBytes = o.maxBytes ?? 4 * 1024 * 1024;
    this.high = o.highWatermark ?? 0.8;
    this.low = o.lowWatermark ?? 0.7;
    this.admitAfter = o.admitAfter ?? 2;
    this.maxCandidates = o.maxCandidates ?? 4096;
    this.admitShortLength = o.admitShortLength ?? 8;
    if (!(this.maxEntries >= 1) || !(this.maxBytes >= 1)) throw new RangeError('TagDictionary limits must be >= 1');
    if (!(this.low > 0 && this.low <= this.high && this.high <= 1)) {
      throw new RangeError('TagDictionary watermarks must satisfy 0 < low <= high <= 1');
    }
    this.evictor = new WatermarkEvictor({
      maxCount: this.maxEntries,
      maxBytes: this.maxBytes,
      highWatermark: this.high,
      lowWatermark: this.low,
      gracePeriodMs: 0,
    });
    for (let i = 0; i < NAMESPACES; i++) {
      this.maps.push(new Map());
      this.candidateMaps.push(new Map());
    }
  }

  /** Sets the clock used for eviction scores (once per batch is plenty). */
  tick(nowMs: number = Date.now()): void {
    this.nowMs = nowMs;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The id of `key`, or 0; a hit counts as a use (protects it from eviction). */
  lookup(key: string, ns = NS_OTHER): number {
    const e = this.maps[ns]!.get(key);
    if (e === undefined) return 0;
    e.frequency++;
    e.lastAccessMs = this.nowMs;
    return e.id;
  }

  /**
   * Counts a sighting of `key` that was not in the dictionary and says whether to admit
   * it now (on the `after`-th sighting, default `admitAfter`). `always` skips the count
   * (content that is cheap to keep and likely to repeat).
   */
  shouldAdmit(key: string, contentBytes: number, always = false, after = this.admitAfter, ns = NS_OTHER): boolean {
    if (contentBytes + ENTRY_OVERHEAD_BYTES > this.maxBytes * this.low) return false; // would evict everything
    if (always || after <= 1) return true;
    const candidates = this.candidateMaps[ns]!;
    const seen = (candidates.get(key) ?? 0) + 1;
    if (seen >= after * this.admitBoost) {
      candidates.delete(key);
      return true;
    }
    if (seen === 1 && candidates.size >= this.maxCandidates) {
      // bounded: forget the oldest half of the candidates (Map keeps insertion order)
      let drop = candidates.size >>> 1;
      for (const k of candidates.keys()) {
        if (drop-- <= 0) break;
        candidates.delete(k);
      }
    }
    candidates.set(key, seen);
    return false;
  }

  /** Gives `key` a new id (the caller emits its DictEntryDefine before any reference). */
  admit(key: string, contentBytes: number, ns = NS_OTHER): number {
    const map = this.maps[ns]!;
    const old = map.get(key);
    if (old !== undefined) return old.id;
    const id = this.nextId++;
    const bytes = contentBytes + ENTRY_OVERHEAD_BYTES;
    const e: Entry = { id, key, ns, bytes, frequency: 1, createdAtMs: this.nowMs, lastAccessMs: this.nowMs };
    map.set(key, e);
    this.count++;
    this.byId.set(id, e);
    this.totalBytes += bytes;
    return id;
  }

  /** True when the next `evict()` would delete something. */
  get overHighWatermark(): boolean {
    return this.evictor.shouldEvict(this.count, this.totalBytes);
  }

  /**
   * Above a high watermark, deletes the lowest-score entries (rarely and not recently
   * used) down to the low watermark; returns the deleted ids (the caller emits a
   * DictEntryDelete for each).
   */
  evict(): number[] {
    if (!this.overHighWatermark) return [];
    const victims = this.evictor.selectVictims([...this.byId.values()], this.count, this.totalBytes, this.nowMs);
    for (const id of victims) {
      const e = this.byId.get(id)!;
      this.victimFrequency.set(id, e.frequency);
      this.byId.delete(id);
      this.maps[e.ns]!.delete(e.key);
      this.count--;
      this.totalBytes -= e.bytes;
    }
    this.evictions += victims.length;
    let wasted = 0;
    for (const id of victims) if (this.victimFrequency.get(id)! <= WASTED_FREQUENCY) wasted++;
    this.victimFrequency.clear();
    if (wasted * 2 > victims.length) this.admitBoost = Math.min(MAX_ADMIT_BOOST, this.admitBoost * 2);
    else if (wasted * 10 < victims.length) this.admitBoost = Math.max(1, this.admitBoost / 2);
    return victims;
  }
}
