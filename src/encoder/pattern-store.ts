/**
 * The sender-side pattern state: tokenizes a body, clusters it (./clusterer.ts) and returns the
 * pattern id plus the exact variable values, with bounded memory (./watermark-eviction.ts).
 *
 * Guarantees of {@link PatternStore.match}:
 * - `literals[0] + values[0] + … + values[n-1] + literals[n] === body`, always (by
 *   construction: literals are the body's own token texts at the template's literal positions).
 * - `defined` is true when the pattern is new or its template changed (widened, or a wildcard's
 *   kind widened): the caller must (re)send a PatternDefine (an upsert) before the log.
 * - Ids are > 0, monotonic and never reused in the store's life; a widened template keeps its id.
 * - The pattern returned by the current call is never evicted by that call; ids evicted are
 *   queued for {@link PatternStore.takeDeletes}.
 * - `undefined` means "send the body raw": empty, longer than `maxBodyLength`, more than
 *   `maxTokens` tokens, a new template larger than `maxTemplateBytes`, or invalid output from an
 *   injected tokenizer. Never throws for any string input (lone surrogates included).
 */
import { diag } from '@opentelemetry/api';
import { anchorPlan, anchorSpans, anchorSplit, type AnchorPlan } from './anchored-match';
import { smiArray, valueArray } from './array-kinds';
import { Clusterer, type ClustererOptions } from './clusterer';
import type { Pattern } from './pattern';
import { createTokenList, type TokenizeFn, type TokenList } from './token';
import { tokenize as tsTokenize } from './tokenizer';
import { WatermarkEvictor } from './watermark-eviction';

/**
 * Anchored misses in a row after which bodies skip the anchored path (straight to the slow
 * path, which gives the same results) for ANCHOR_SKIP_MIN bodies, doubling up to
 * ANCHOR_SKIP_MAX while it keeps missing; one hit ends it.
 */
const ANCHOR_MISSES_BEFORE_SKIP = 16;
const ANCHOR_SKIP_MIN = 16;
const ANCHOR_SKIP_MAX = 256;

/** What takeDeletes returns when there is nothing (shared: callers only read it). */
const NO_DELETES: number[] = [];

const logger = diag.createComponentLogger({ namespace: 'otel-stateful-logs/pattern-store' });

export interface PatternMatch {
  /** > 0, never reused in a store's life. */
  patternId: number;
  /** `literals.length === values.length + 1`. Shared with the store: do not mutate. */
  literals: string[];
  /** TokenKind of each wildcard slot (Word when the slot has seen mixed kinds). Shared: do not mutate. */
  wildcardKinds: number[];
  /** Exact substrings: `literals[0]+values[0]+…+literals[n] === body`. */
  values: string[];
  /** New or widened by this call: emit a PatternDefine (upsert) first. */
  defined: boolean;
}

/**
 * A match as offsets into the body, without building the values (see
 * {@link PatternStore.matchSpans}): value k is `body.slice(starts[k], ends[k])`. The store
 * reuses this object and its arrays: valid until its next call.
 */
export interface PatternSpans {
  patternId: number;
  /** Shared with the store: do not mutate. */
  literals: string[];
  /** Shared with the store: do not mutate. */
  wildcardKinds: number[];
  defined: boolean;
  /** Number of values (`literals.length - 1`). */
  count: number;
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * The reused result object of matchSpans. A class, not an object literal: a store made after
 * the first one got its literal from V8's boilerplate with a map the first store's result had
 * already left, and storing it generalized the store's field type, which threw away the
 * optimized writePattern / matchSpans / matchAnchored on every new exporter.
 */
class MatchSpans implements PatternSpans {
  patternId = 0;
  literals: string[] = valueArray();
  wildcardKinds: number[] = smiArray();
  defined = false;
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
}

/** A tokenizer as an object (see PatternStoreOptions.tokenizerHost). */
export interface TokenizerHost {
  tokenizeInto(text: string, out?: TokenList): TokenList;
}

/** Limits and knobs; every field is optional. */
export interface PatternStoreOptions {
  /** Most live patterns. Default 700. */
  maxPatterns?: number;
  /** Most estimated pattern bytes. Default 4 MiB. */
  maxBytes?: number;
  /** Eviction starts above this fraction of a limit. Default 0.95. */
  highWatermark?: number;
  /** Eviction evicts down to this fraction. Default 0.85. */
  lowWatermark?: number;
  /** New patterns are not evicted for this long (unless the hard limits demand it), ms. Default 30 000. */
  gracePeriodMs?: number;
  /** Age decay exponent of the eviction score. Default 0.5. */
  decay?: number;
  /** A new template with more literal UTF-8 bytes is not created (body sent raw). Default 4096. */
  maxTemplateBytes?: number;
  /** Bodies longer than this (UTF-16 code units) are sent raw without tokenizing. Default 65 536. */
  maxBodyLength?: number;
  /** Bodies with more tokens are sent raw. Default 1024. */
  maxTokens?: number;
  /** Clustering knobs other than the limits above (tests only; the defaults are the product). */
  clustering?: Omit<ClustererOptions, 'maxTokens' | 'maxTemplateBytes' | 'now'>;
  /**
   * Recently matched templates tried by literal anchoring before tokenizing (./anchored-match.ts;
   * same result as the slow path, several times faster on known templates). 0 turns it off.
   * Default 8.
   */
  anchoredTemplates?: number;
  /** Tokenizer with the ./token.ts contract (e.g. the native one). Default: the TS tokenizer. */
  tokenizer?: TokenizeFn;
  /**
   * The same as `tokenizer` (and used instead of it), as an object whose `tokenizeInto` is a
   * prototype method (e.g. a SelectedTokenizer): the stores of several encoders then call one
   * function, where per-encoder closures made optimized code deoptimize on each new store.
   */
  tokenizerHost?: TokenizerHost;
  /** Clock in ms (injectable for tests). Default Date.now. */
  now?: () => number;
  /**
   * Called when pattern `fromId` is merged into `intoId` (its id is then also queued for
   * takeDeletes). Bodies of `fromId` now match `intoId`; useful to re-map ids already handed out.
   */
  onMerge?: (fromId: number, intoId: number) => void;
}

/** Counters since construction. */
export interface PatternStoreStats {
  matched: number;
  /** Of `matched`: bodies matched by literal anchoring, without tokenizing. */
  anchored: number;
  created: number;
  widened: number;
  evicted: number;
  /** Patterns merged into another one (their ids deleted). */
  absorbed: number;
  rawEmpty: number;
  rawTooLong: number;
  rawUnclusterable: number;
  rawBadTokens: number;
}

export class PatternStore {
  private readonly clusterer: Clusterer;
  private readonly evictor: WatermarkEvictor;
  private readonly byId = new Map<number, Pattern>();
  private readonly tokenizeFn: TokenizeFn;
  private readonly tokenizerHost: TokenizerHost | undefined;
  private readonly validateTokens: boolean;
  private readonly maxBodyLength: number;
  private readonly now: () => number;
  /** The clock pinned by setNow (>= 0), else -1 (then `now` is read). */
  private pinnedNowMs = -1;
  private tokens: TokenList = createTokenList(256);
  private deletes: number[] = [];
  private totalBytes = 0;
  private readonly counters: PatternStoreStats = {
    matched: 0,
    anchored: 0,
    created: 0,
    widened: 0,
    evicted: 0,
    absorbed: 0,
    rawEmpty: 0,
    rawTooLong: 0,
    rawUnclusterable: 0,
    rawBadTokens: 0,
  };
  private warnedBadTokens = false;
  /** Clock time before which a graced-only eviction attempt is not repeated (see maybeEvict). */
  private evictRetryAtMs = 0;
  private readonly onMerge: ((fromId: number, intoId: number) => void) | undefined;
  /** Most recently matched templates that can be anchored, most recent first, and their plans. */
  private readonly mruSize: number;
  // (arrays in the kind they end up in: see ./array-kinds.ts)
  private readonly mru: Pattern[] = valueArray();
  /** The result object of matchSpans (reused). */
  private readonly spans: PatternSpans = new MatchSpans();
  /**
   * Value offsets of slow-path matches (the anchored path has its own). Room for 128 values
   * from the start: a store that first grows them after its predecessor's code was optimized
   * runs a path with no type feedback, and the whole optimized matchSpans is thrown away.
   */
  private slowStarts = new Int32Array(128);
  private slowEnds = new Int32Array(128);
  /** Bodies in a row the anchored path missed, bodies left to skip it, the next skip's length. */
  private anchorMisses = 0;
  private anchorSkip = 0;
  private anchorSkipLength = ANCHOR_SKIP_MIN;

  constructor(options: PatternStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.clusterer = new Clusterer({
      ...options.clustering,
      maxTokens: options.maxTokens,
      maxTemplateBytes: options.maxTemplateBytes,
      now: this.now,
    });
    this.evictor = new WatermarkEvictor({
      maxCount: options.maxPatterns ?? 700,
      maxBytes: options.maxBytes ?? 4 * 1024 * 1024,
      highWatermark: options.highWatermark,
      lowWatermark: options.lowWatermark,
      gracePeriodMs: options.gracePeriodMs ?? 30_000,
      decay: options.decay,
    });
    this.tokenizeFn = options.tokenizer ?? tsTokenize;
    this.tokenizerHost = options.tokenizerHost;
    this.validateTokens = options.tokenizer !== undefined || options.tokenizerHost !== undefined;
    this.maxBodyLength = Math.max(1, options.maxBodyLength ?? 65_536);
    this.onMerge = options.onMerge;
    this.mruSize = Math.max(0, Math.floor(options.anchoredTemplates ?? 8));
  }

  /**
   * Pins the clock at `ms` until the next call (instead of calling `now`): the encoder reads
   * the time once per batch. A clock call per match cost more than an anchored match, and the
   * encoder's clock closure, one per encoder, deoptimized the store's code on each new one.
   */
  setNow(ms: number): void {
    this.pinnedNowMs = ms;
  }

  private time(): number {
    const t = this.pinnedNowMs;
    return t >= 0 ? t : this.now();
  }

  /** Live patterns. */
  get size(): number {
    return this.byId.size;
  }

  /** Bodies matched by the anchored fast path so far (a cheap counter; stats() copies). */
  get anchoredCount(): number {
    return this.counters.anchored;
  }

  /** Estimated bytes of the live patterns. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Counters since construction (a copy). */
  stats(): PatternStoreStats {
    return { ...this.counters };
  }

  /** Clusters `body`; see the module comment for the guarantees. */
  match(body: string): PatternMatch | undefined {
    const s = this.matchSpans(body);
    if (s === undefined) return undefined;
    const n = s.count;
    const values = new Array<string>(n);
    for (let k = 0; k < n; k++) values[k] = body.slice(s.starts[k]!, s.ends[k]!);
    return { patternId: s.patternId, literals: s.literals, wildcardKinds: s.wildcardKinds, values, defined: s.defined };
  }

  /**
   * {@link match} with the values as offsets into `body` (no substrings built; the result is
   * reused by the next call). Same state changes, same answers.
   */
  matchSpans(body: string): PatternSpans | undefined {
    if (body.length === 0) {
      this.counters.rawEmpty++;
      return undefined;
    }
    if (body.length > this.maxBodyLength) {
      this.counters.rawTooLong++;
      return undefined;
    }
    if (this.mru.length !== 0) {
      if (this.anchorSkip > 0) {
        this.anchorSkip--;
      } else {
        const hit = this.matchAnchored(body);
        if (hit !== undefined) {
          this.anchorMisses = 0;
          this.anchorSkipLength = ANCHOR_SKIP_MIN;
          return hit;
        }
        // Only a cost when nothing anchors (templates that never anchor, more templates than
        // the list holds): skip the list for a while, longer each time it still misses after.
        if (++this.anchorMisses >= ANCHOR_MISSES_BEFORE_SKIP) {
          this.anchorSkip = this.anchorSkipLength;
          this.anchorSkipLength = Math.min(2 * this.anchorSkipLength, ANCHOR_SKIP_MAX);
          this.anchorMisses = ANCHOR_MISSES_BEFORE_SKIP - 1; // one more miss after the skip: skip again
        }
      }
    }
    let tokens: TokenList;
    try {
      const host = this.tokenizerHost;
      tokens = this.tokens = host !== undefined ? host.tokenizeInto(body, this.tokens) : this.tokenizeFn(body, this.tokens);
    } catch (err) {
      // Only an injected tokenizer can throw; the body still goes out (raw).
      this.counters.rawBadTokens++;
      if (!this.warnedBadTokens) {
        this.warnedBadTokens = true;
        logger.warn(`injected tokenizer threw; sending such bodies raw: ${err instanceof Error ? err.message : String(err)}`);
      }
      return undefined;
    }
    if (this.validateTokens && !tokensCover(tokens, body.length)) {
      this.counters.rawBadTokens++;
      if (!this.warnedBadTokens) {
        this.warnedBadTokens = true;
        logger.warn('injected tokenizer returned tokens that do not cover the body; sending such bodies raw');
      }
      return undefined;
    }
    const result = this.clusterer.add(body, tokens, this.time());
    if (result === undefined) {
      this.counters.rawUnclusterable++;
      return undefined;
    }
    const p = result.pattern;
    switch (result.change) {
      case 'created':
        this.counters.created++;
        this.byId.set(p.id, p);
        this.totalBytes += p.bytes;
        break;
      case 'widened':
        this.counters.widened++;
        this.totalBytes += result.bytesDelta;
        if (result.absorbed !== undefined) {
          for (const q of result.absorbed) {
            this.byId.delete(q.id);
            this.totalBytes -= q.bytes;
            this.deletes.push(q.id);
            this.mruRemove(q);
            this.counters.absorbed++;
            this.onMerge?.(q.id, p.id);
          }
        }
        break;
      default:
        break;
    }
    this.counters.matched++;
    if (this.mruSize > 0) this.mruPut(p);

    const positions = p.wildcardPositions;
    const n = positions.length;
    if (this.slowStarts.length < n) {
      this.slowStarts = new Int32Array(2 * n);
      this.slowEnds = new Int32Array(2 * n);
    }
    const starts = this.slowStarts;
    const ends = this.slowEnds;
    for (let k = 0; k < n; k++) {
      const i = positions[k]!;
      starts[k] = tokens.starts[i]!;
      ends[k] = tokens.ends[i]!;
    }
    const match = this.spans;
    match.patternId = p.id;
    match.literals = p.literals;
    match.wildcardKinds = p.wildcardKinds;
    match.defined = result.change !== 'none';
    match.count = n;
    match.starts = starts;
    match.ends = ends;
    if (this.evictor.shouldEvict(this.byId.size, this.totalBytes)) this.maybeEvict(p.id);
    return match;
  }

  /**
   * The fast path: the first recently matched template that anchors the body and that the
   * clusterer would try first (the first of its cluster), with the bookkeeping of an exact
   * match in Clusterer.add; undefined sends the body down the slow path.
   */
  private matchAnchored(body: string): PatternSpans | undefined {
    const mru = this.mru;
    for (let k = 0; k < mru.length; k++) {
      const p = mru[k]!;
      const plan = planOf(p);
      if (!plan.usable) continue;
      const count = anchorSpans(plan, body);
      if (count < 0 || !this.clusterer.isFirstInCluster(p)) continue;
      p.hits++;
      p.lastAccessMs = this.time();
      this.counters.matched++;
      this.counters.anchored++;
      if (k > 0) {
        for (let j = k; j > 0; j--) mru[j] = mru[j - 1]!;
        mru[0] = p;
      }
      const match = this.spans;
      match.patternId = p.id;
      match.literals = p.literals;
      match.wildcardKinds = p.wildcardKinds;
      match.defined = false;
      match.count = count;
      match.starts = anchorSplit.starts;
      match.ends = anchorSplit.ends;
      if (this.evictor.shouldEvict(this.byId.size, this.totalBytes)) this.maybeEvict(p.id);
      return match;
    }
    return undefined;
  }

  /** Puts `p` first in the recently-matched list (when its template can be anchored). */
  private mruPut(p: Pattern): void {
    const mru = this.mru;
    let k = mru.indexOf(p);
    if (!planOf(p).usable) {
      if (k >= 0) mru.splice(k, 1);
      return;
    }
    if (k < 0) {
      if (mru.length < this.mruSize) mru.push(p);
      k = mru.length - 1;
    }
    for (let j = k; j > 0; j--) mru[j] = mru[j - 1]!;
    mru[0] = p;
  }

  private mruRemove(p: Pattern): void {
    const k = this.mru.indexOf(p);
    if (k >= 0) this.mru.splice(k, 1);
  }

  /** Ids evicted since the last call (emit PatternDelete for each before the next log). */
  takeDeletes(): number[] {
    const d = this.deletes;
    if (d.length === 0) return NO_DELETES;
    this.deletes = [];
    return d;
  }

  /** The live pattern with this id, if any (read-only use: snapshots, the `patterns` command). */
  get(id: number): Pattern | undefined {
    return this.byId.get(id);
  }

  /** Every live pattern. */
  patterns(): IterableIterator<Pattern> {
    return this.byId.values();
  }

  /**
   * Evicts unless a recent attempt found only graced patterns and the hard limits still hold:
   * then it waits (up to 1 s) instead of re-scoring every pattern on every call.
   */
  private maybeEvict(currentId: number): void {
    const hardExceeded = this.byId.size > this.evictor.maxCount || this.totalBytes > this.evictor.maxBytes;
    const nowMs = this.time();
    if (!hardExceeded && nowMs < this.evictRetryAtMs) return;
    this.evict(currentId);
    this.evictRetryAtMs = this.evictor.shouldEvict(this.byId.size, this.totalBytes)
      ? nowMs + Math.min(1000, this.evictor.gracePeriodMs)
      : 0;
  }

  private evict(currentId: number): void {
    const victims = this.evictor.selectVictims(
      [...this.byId.values()].map((p) => ({
        id: p.id,
        bytes: p.bytes,
        frequency: p.hits,
        createdAtMs: p.createdAtMs,
        lastAccessMs: p.lastAccessMs,
      })),
      this.byId.size,
      this.totalBytes,
      this.time(),
      (id) => id === currentId,
    );
    for (const id of victims) {
      const p = this.byId.get(id);
      if (p === undefined) continue;
      this.clusterer.remove(p);
      this.mruRemove(p);
      this.byId.delete(id);
      this.totalBytes -= p.bytes;
      this.deletes.push(id);
      this.counters.evicted++;
    }
  }
}

/** The pattern's anchoring plan, (re)built when its template changed. */
function planOf(p: Pattern): AnchorPlan {
  const plan = p.anchor;
  if (plan !== undefined && plan.literals === p.literals) return plan;
  return (p.anchor = anchorPlan(p));
}

/** True when the tokens are contiguous, non-empty and cover exactly [0, length). */
function tokensCover(t: TokenList, length: number): boolean {
  let pos = 0;
  for (let i = 0; i < t.count; i++) {
    if (t.starts[i] !== pos || t.ends[i]! <= pos) return false;
    pos = t.ends[i]!;
  }
  return pos === length;
}
