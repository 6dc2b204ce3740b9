/**
 * Picks the tokenizer once, at configure time: the native addon (native/, Rust) when it is
 * built for this platform, else the TypeScript one (./tokenizer). Both give identical tokens
 * (test/native/), so the choice only changes speed.
 *
 * Resolution, in layers: the `tokenizer` option from code, then the environment variable
 * `OTEL_STATEFUL_LOGS_TOKENIZER` (`native` | `js` | `auto`), then `auto`.
 * - `auto`: native when the addon loads, else js. One `diag.info` line says which and why.
 * - `native` when the addon cannot load: NOT an error. One `diag.warn` line with the load
 *   error, and the TypeScript tokenizer is used (`impl === 'js'`, so callers that must not
 *   run without native, like `bench --tokenizer native`, can refuse).
 * - `js`: always the TypeScript tokenizer; the addon is not even loaded.
 *
 * The native side pays one boundary crossing per call, so it only wins on batches. Callers
 * that know a batch (the encoder) call {@link SelectedTokenizer.prefetch} with the batch's
 * bodies; the per-body {@link SelectedTokenizer.tokenize} (a plain {@link TokenizeFn}, e.g. the
 * PatternStore's `tokenize` option) then serves each body from that batch.
 */
import { diag } from '@opentelemetry/api';

import {
  loadNativeTokenizer,
  NativeErrorCode,
  NativeResultError,
  NativeScratch,
  nativeTokenizeBatch,
  type NativeBinding,
  type NativeTokenBatch,
  type NativeTokenizeOptions,
} from './native-tokenizer';
import type { TokenizeFn, TokenList } from './token';
import { tokenize as jsTokenize } from './tokenizer';
import { valueArray } from './array-kinds';

/** What the user asked for. */
export type TokenizerChoice = 'auto' | 'native' | 'js';
/** What is actually used. */
export type TokenizerImpl = 'native' | 'js';

/** Environment variable that forces a tokenizer: `native`, `js` or `auto`. */
export const TOKENIZER_ENV_VAR = 'OTEL_STATEFUL_LOGS_TOKENIZER';

/**
 * Smallest batch that `auto` sends to the addon; smaller batches are tokenized in TypeScript.
 * Measured (`npm run bench:native-tokenizer`, large Apache file, process CPU time): one body
 * per call 0.84x the TypeScript tokenizer (whole encoder 0.99x), two bodies 1.31x (encoder
 * 1.12x), four 1.94x, from 64 on 3.6-3.9x. `auto` still sends single bodies (the pattern
 * store's misses) to the addon: in an exporter the TypeScript tokenizer then never gets hot,
 * and V8 does not spend 30-60 ms compiling it (Apache-large in `npm run bench`: 3.4 instead of
 * 4.0 µs/record of CPU off the main thread, `npx tsx bench/experiments/jit-cost.ts`).
 */
export const DEFAULT_MIN_NATIVE_BATCH = 1;

/**
 * Most bodies per native call. Larger calls were slower in the batch-size curve (1024:
 * 3.9x the TypeScript tokenizer, 2048-4096: 3.3-3.4x; the result no longer stays in cache
 * while it is read), so bigger batches are split; the split is lazy, chunk by chunk.
 */
export const DEFAULT_MAX_NATIVE_BATCH = 1024;

/**
 * Most UTF-16 code units per native call (split beyond). Bounds the memory the addon and the
 * reused result buffer keep: at most 9 result bytes per unit (one token per unit), so 36 MiB.
 */
export const DEFAULT_MAX_NATIVE_BATCH_UNITS = 1 << 22;

/** How far {@link SelectedTokenizer.tokenize} looks ahead when a body is not the next prefetched one. */
const PREFETCH_LOOKAHEAD = 64;

const logger = diag.createComponentLogger({ namespace: 'otel-stateful-logs/tokenizer' });

/** Options of {@link selectTokenizer}; every field is optional. */
export interface TokenizerSelectOptions {
  /** Force a tokenizer from code (wins over the environment). Default: env, else `auto`. */
  tokenizer?: TokenizerChoice;
  /**
   * Smallest batch sent to the addon; smaller ones use the TypeScript tokenizer. Default
   * {@link DEFAULT_MIN_NATIVE_BATCH} for `auto`, 1 when `native` is forced (forcing means
   * every call goes native, which is what the batch-size benchmark needs). Range >= 1.
   */
  minNativeBatch?: number;
  /** Most bodies per native call. Default {@link DEFAULT_MAX_NATIVE_BATCH}. Range >= 1. */
  maxNativeBatch?: number;
  /**
   * Most UTF-16 code units per native call (a single longer body still goes alone).
   * Default {@link DEFAULT_MAX_NATIVE_BATCH_UNITS}. Range >= 1.
   */
  maxNativeBatchUnits?: number;
  /**
   * Passed to every addon call: size limits (bodies over `maxBodyUnits` are tokenized in
   * TypeScript instead) and, in tests, fault injection. Default: the addon's defaults.
   */
  native?: NativeTokenizeOptions;
  /** Environment to read `OTEL_STATEFUL_LOGS_TOKENIZER` from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Counters for metrics and diagnostics. */
export interface TokenizerStats {
  /** Native calls made. */
  nativeCalls: number;
  /** Bodies tokenized by the addon. */
  nativeBodies: number;
  /** Bodies tokenized in TypeScript (js impl, small batches, misses, fallbacks). */
  jsBodies: number;
  /** Bodies the addon refused (size limit) or lost (failed call) and TypeScript tokenized. */
  fallbackBodies: number;
  /** `tokenize` calls whose body was not among the prefetched ones. */
  prefetchMisses: number;
}

/** The chosen tokenizer. */
export interface SelectedTokenizer {
  /** Implementation in use. */
  readonly impl: TokenizerImpl;
  /** What was asked for (after option/env resolution). */
  readonly requested: TokenizerChoice;
  /** One line: why this implementation (the diag line says the same). */
  readonly reason: string;
  /**
   * Tokenizes one body. Served from the prefetched batch when `text` is the next prefetched
   * body (the common case: the encoder walks its batch in order); otherwise tokenized on the
   * spot (TypeScript, or a one-body native call when `native` is forced).
   */
  readonly tokenize: TokenizeFn;
  /**
   * `tokenize` as a prototype method. Every tokenizer of a class shares it, so a call site
   * that sees the tokenizers of several encoders keeps one call target (each `tokenize` is a
   * closure of its own: optimized code specialized to the first encoder's deoptimized on the
   * next one's, "wrong call target").
   */
  tokenizeInto(text: string, out?: TokenList): TokenList;
  /**
   * Announces the bodies about to be tokenized, in order. On native (batch >= minNativeBatch)
   * they are tokenized in chunks of up to maxNativeBatch with one addon call each, lazily as
   * `tokenize` reaches them. No-op on js. Replaces any earlier prefetch.
   */
  prefetch(bodies: readonly string[]): void;
  /** Drops the prefetched batch (and its buffers). */
  clearPrefetch(): void;
  /** A copy of the counters. */
  stats(): TokenizerStats;
}

/** Reads `OTEL_STATEFUL_LOGS_TOKENIZER`; bad values get a warning and are ignored (never throws). */
export function tokenizerChoiceFromEnv(env: Readonly<Record<string, string | undefined>>): TokenizerChoice | undefined {
  const raw = env[TOKENIZER_ENV_VAR];
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === '') return undefined;
  if (v === 'native' || v === 'js' || v === 'auto') return v;
  logger.warn(`${TOKENIZER_ENV_VAR}=${JSON.stringify(raw)} is not one of native|js|auto; using auto`);
  return undefined;
}

const announced = new Set<string>();

/**
 * One diag line per distinct outcome per process (info, or warn when something failed). `key`
 * names the outcome when the line carries details that vary (so the set stays small).
 */
function announce(level: 'info' | 'warn', line: string, key = line): void {
  if (announced.has(key)) return;
  announced.add(key);
  logger[level](line);
}

/** Resolves the tokenizer (option > env > auto) and says which in one diag line. Never throws. */
export function selectTokenizer(options: TokenizerSelectOptions = {}): SelectedTokenizer {
  const env = options.env ?? process.env;
  const requested: TokenizerChoice = options.tokenizer ?? tokenizerChoiceFromEnv(env) ?? 'auto';
  if (requested === 'js') {
    const reason = 'tokenizer: js (forced)';
    announce('info', reason);
    return new JsOnlyTokenizer(requested, reason);
  }
  const loaded = loadNativeTokenizer();
  if (!loaded.ok) {
    const why = loaded.error.message;
    if (requested === 'native') {
      const reason = `tokenizer: js (native was forced but could not load: ${why})`;
      announce('warn', reason);
      return new JsOnlyTokenizer(requested, reason);
    }
    const reason = `tokenizer: js (${why})`;
    announce('info', reason);
    return new JsOnlyTokenizer(requested, reason);
  }
  const minBatch = Math.max(1, Math.floor(options.minNativeBatch ?? (requested === 'native' ? 1 : DEFAULT_MIN_NATIVE_BATCH)));
  const maxBatch = Math.max(1, Math.floor(options.maxNativeBatch ?? DEFAULT_MAX_NATIVE_BATCH));
  const maxUnits = Math.max(1, Math.floor(options.maxNativeBatchUnits ?? DEFAULT_MAX_NATIVE_BATCH_UNITS));
  const reason = `tokenizer: native (${loaded.path}${requested === 'native' ? ', forced' : ''}; batches of >= ${minBatch} bodies)`;
  announce('info', reason);
  return new NativeBackedTokenizer(requested, reason, loaded.binding, minBatch, maxBatch, maxUnits, options.native);
}

function newStats(): TokenizerStats {
  return { nativeCalls: 0, nativeBodies: 0, jsBodies: 0, fallbackBodies: 0, prefetchMisses: 0 };
}

class JsOnlyTokenizer implements SelectedTokenizer {
  readonly impl = 'js' as const;
  private readonly counters = newStats();
  readonly tokenize: TokenizeFn = (text, out) => this.tokenizeInto(text, out);

  tokenizeInto(text: string, out?: TokenList): TokenList {
    this.counters.jsBodies++;
    return jsTokenize(text, out);
  }

  constructor(
    readonly requested: TokenizerChoice,
    readonly reason: string,
  ) {}

  prefetch(): void {}
  clearPrefetch(): void {}
  stats(): TokenizerStats {
    return { ...this.counters };
  }
}

/**
 * No prefetched bodies: an empty array of the prefetched batches' elements kind, so
 * findPrefetched sees one array class (a fresh `[]` made it polymorphic, and a new encoder's
 * `[]` deoptimized it: "wrong map").
 */
const NO_BODIES: readonly string[] = valueArray();

class NativeBackedTokenizer implements SelectedTokenizer {
  readonly impl = 'native' as const;
  private readonly counters = newStats();
  /** Prefetched bodies (empty when none). */
  private bodies: readonly string[] = NO_BODIES;
  /** Next body index expected by `tokenize`. */
  private cursor = 0;
  /** Tokens of bodies [chunkStart, chunkEnd) (undefined when that chunk fell back to js). */
  private chunk: NativeTokenBatch | undefined;
  private chunkStart = 0;
  private chunkEnd = 0;
  /** Buffers of the prefetched chunk's call (its batch views them until the next chunk). */
  private readonly chunkScratch = new NativeScratch();
  /** Buffers of one-body calls, separate so they never overwrite the prefetched chunk. */
  private readonly singleScratch = new NativeScratch();
  /** Set after the addon failed internally (a bug): stop using it for this tokenizer. */
  private broken = false;

  readonly tokenize: TokenizeFn = (text, out) => this.tokenizeInto(text, out);

  constructor(
    readonly requested: TokenizerChoice,
    readonly reason: string,
    private readonly binding: NativeBinding,
    private readonly minBatch: number,
    private readonly maxBatch: number,
    private readonly maxUnits: number,
    private readonly nativeOptions: NativeTokenizeOptions | undefined,
  ) {}

  prefetch(bodies: readonly string[]): void {
    this.clearPrefetch();
    if (this.broken || bodies.length < this.minBatch) return;
    this.bodies = bodies;
  }

  clearPrefetch(): void {
    this.bodies = NO_BODIES;
    this.cursor = 0;
    this.chunk = undefined;
    this.chunkStart = 0;
    this.chunkEnd = 0;
  }

  stats(): TokenizerStats {
    return { ...this.counters };
  }

  tokenizeInto(text: string, out?: TokenList): TokenList {
    const idx = this.findPrefetched(text);
    if (idx >= 0) {
      this.cursor = idx + 1;
      if (idx >= this.chunkEnd || idx < this.chunkStart) this.loadChunk(idx);
      const chunk = this.chunk;
      if (chunk && chunk.error(idx - this.chunkStart) === NativeErrorCode.None) {
        this.counters.nativeBodies++;
        return chunk.fill(idx - this.chunkStart, out);
      }
      this.counters.fallbackBodies++;
      this.counters.jsBodies++;
      return jsTokenize(text, out);
    }
    if (this.bodies.length > 0) this.counters.prefetchMisses++;
    if (this.minBatch <= 1 && !this.broken) {
      const batch = this.callNative([text], this.singleScratch);
      if (batch && batch.error(0) === NativeErrorCode.None) {
        this.counters.nativeBodies++;
        return batch.fill(0, out);
      }
      this.counters.fallbackBodies++;
    }
    this.counters.jsBodies++;
    return jsTokenize(text, out);
  }

  /** Index of `text` among the prefetched bodies at or just after the cursor, else -1. */
  private findPrefetched(text: string): number {
    const bodies = this.bodies;
    const limit = Math.min(bodies.length, this.cursor + PREFETCH_LOOKAHEAD);
    for (let i = this.cursor; i < limit; i++) if (bodies[i] === text) return i;
    return -1;
  }

  /** Tokenizes the chunk that starts at body `from` (bounded by count and code units). */
  private loadChunk(from: number): void {
    const bodies = this.bodies;
    let end = from;
    let units = 0;
    const maxEnd = Math.min(bodies.length, from + this.maxBatch);
    while (end < maxEnd) {
      units += bodies[end]!.length;
      if (units > this.maxUnits && end > from) break;
      end++;
    }
    this.chunkStart = from;
    this.chunkEnd = end;
    this.chunk = this.broken ? undefined : this.callNative(bodies.slice(from, end), this.chunkScratch);
  }

  /** One addon call; undefined (and the reason in diag) when it failed as a whole. */
  private callNative(bodies: readonly string[], scratch: NativeScratch): NativeTokenBatch | undefined {
    try {
      this.counters.nativeCalls++;
      return nativeTokenizeBatch(this.binding, bodies, this.nativeOptions, scratch);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof NativeResultError && err.code === NativeErrorCode.SizeLimit) {
        announce(
          'warn',
          `tokenizer: a batch of ${bodies.length} bodies exceeded the native size limit; such batches are tokenized in TypeScript (${message})`,
          'batch-size-limit',
        );
      } else {
        this.broken = true;
        announce('warn', `tokenizer: native call failed, using the TypeScript tokenizer from now on: ${message}`, `failed:${message}`);
      }
      return undefined;
    }
  }
}
