/**
 * The sender side of the stateful encoding: LogRecordData[] -> one DatumSequence.
 *
 * Stream-lived state (patterns, tag dictionary) persists across batches for the life of
 * the encoder; delta state (previous time, pattern, severity, key lists, resource, scope,
 * per-slot previous values) resets at the start of every batch, so a batch decodes given
 * only the dictionary/pattern state before it. Field semantics: see the Log message in
 * proto/otel_stateful_logs/v1/stateful_logs.proto.
 *
 * Every record takes the compact path when it can; a record the compact path cannot
 * carry exactly (odd times, a malformed span context, an unexpected exception) travels
 * whole as a `fallback_record` and is counted — bad input never throws out of `encode`.
 */
import { diag } from '@opentelemetry/api';
import { Datum, DatumSequence } from '../proto/otel_stateful_logs/v1/stateful_logs';
import type { AnyValue, AnyValueMap, LogRecordData, ResourceData, ScopeData } from './log-record';
import { WireWriter, WT_LEN, WT_VARINT } from './wire-writer';
import { doubleArray, holeyArray, smiArray, valueArray } from './array-kinds';
import {
  DEFAULT_MAX_DEPTH,
  isWellFormed,
  newIssues,
  writeAnyValue,
  writeKeyValues,
  type AnyValueIssues,
} from './any-value-codec';
import { MAX_SHAPE_INPUT, NUMBER_MARK, canShapeNumber, fitsShapeAt, hexValue, isNumberShape, matchShape, shapeInto, shapeRuns } from './value-codec';
import { NS_TEXT, TagDictionary, type TagDictionaryOptions } from './tag-dictionary';
import { isCanonicalTime, listKey, patternCode, timeDelta } from './delta-encoder';
import { splitJsonBody } from './json-preprocessor';
import { PatternStore, type PatternStoreOptions } from './pattern-store';
import { selectTokenizer, type SelectedTokenizer, type TokenizerChoice } from './tokenizer-select';

/** What the encoder needs from a pattern store (src/encoder/pattern-store.ts implements it). */
export interface PatternMatcher {
  match(body: string):
    | { patternId: number; literals: string[]; wildcardKinds: number[]; values: string[]; defined: boolean }
    | undefined;
  takeDeletes(): number[];
  readonly size: number;
}

export interface EncoderOptions {
  /** Pattern store limits (defaults: 700 patterns, 4 MiB, watermarks 0.95 / 0.85, grace 30 s). */
  patterns?: PatternStoreOptions;
  /**
   * Tokenizer: `native` (Rust addon), `js`, or `auto` (native when it loads). Default: the
   * OTEL_STATEFUL_LOGS_TOKENIZER environment variable, else `auto`. Ignored when
   * `patterns.tokenizer` or `patternStore` is given.
   */
  tokenizer?: TokenizerChoice;
  /** Replaces the pattern store (tests); `false` = no patterns, every string body raw. */
  patternStore?: PatternMatcher | false;
  /** Tag dictionary limits (defaults: 700 entries, 4 MiB, watermarks 0.80 / 0.70). */
  dictionary?: TagDictionaryOptions;
  /** Split JSON object bodies into message + typed fields (default true). */
  json?: boolean;
  /** Nesting cap for AnyValues (default 64); deeper values are replaced and counted. */
  maxDepth?: number;
  /** String bodies longer than this skip the pattern store (default 64 KiB). */
  maxPatternBodyLength?: number;
  /** Attribute maps with more keys than this travel inline, not as a key list (default 1024). */
  maxKeyListLength?: number;
  /**
   * Attribute keys whose values always go through the tag dictionary: a value (its shape:
   * the text with digit runs taken out) is admitted at first sight instead of after the
   * usual repeat count. For low-cardinality keys worth a dictionary id from the start
   * (`deployment.environment`, `http.route`). Default: none (every key is promoted lazily).
   */
  tagAttributes?: string[];
  /**
   * Attribute keys whose values never enter the tag dictionary: they travel in the Log
   * itself every time (for high-cardinality keys such as `request.id`, `user.id`), and a
   * record whose attributes hold such a key is never sent as a whole dictionary set.
   * Within a batch a value may still be written as a delta against the same key's
   * previous value (that is not stream state). Default: none. A key may not be in both lists.
   */
  untaggedAttributes?: string[];
}

/** How an attribute key's values use the tag dictionary (see EncoderOptions). */
const DICT_LAZY = 0;
const DICT_ALWAYS = 1;
const DICT_NEVER = 2;

/** Checks the two attribute-key lists; returns key -> DICT_ALWAYS / DICT_NEVER (undefined when both are empty). */
function attributeDictModes(tag: unknown, untagged: unknown): Map<string, number> | undefined {
  const modes = new Map<string, number>();
  const add = (list: unknown, option: string, mode: number): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new TypeError(`otel-stateful-logs: option '${option}' must be an array of attribute keys`);
    for (const k of list) {
      if (typeof k !== 'string' || k === '') {
        throw new TypeError(`otel-stateful-logs: option '${option}' must hold non-empty strings, got ${JSON.stringify(k)}`);
      }
      if (modes.has(k) && modes.get(k) !== mode) {
        throw new TypeError(`otel-stateful-logs: option '${option}' names ${JSON.stringify(k)}, which is also in 'tagAttributes'`);
      }
      modes.set(k, mode);
    }
  };
  add(tag, 'tagAttributes', DICT_ALWAYS);
  add(untagged, 'untaggedAttributes', DICT_NEVER);
  return modes.size === 0 ? undefined : modes;
}

export interface EncodedBatch {
  /** Serialized DatumSequence, NOT compressed. */
  payload: Uint8Array;
  /** Every define/delete datum in the batch, in order (build snapshots from acked ones). */
  stateChanges: Datum[];
  recordCount: number;
}

export interface EncoderStats {
  records: number;
  batches: number;
  payloadBytes: number;
  patternedBodies: number;
  rawBodies: number;
  typedBodies: number;
  jsonBodies: number;
  /** Records sent whole (`fallback_record`), by reason. */
  fallbacks: number;
  fallbackReasons: Record<string, number>;
  patternDefines: number;
  patternDeletes: number;
  dictDefines: number;
  dictDeletes: number;
  patterns: number;
  dictEntries: number;
  dictBytes: number;
  /** AnyValues nested beyond maxDepth (replaced by a marker). */
  truncatedValues: number;
  /** Values of non-AnyValue types sent as their String(). */
  coercedValues: number;
}

const NO_PATTERNS: PatternMatcher = { match: () => undefined, takeDeletes: () => [], size: 0 };

interface SlotState {
  value: AnyValue;
  shape: string | undefined;
  nums: number[] | undefined;
  /**
   * The next value may be matched against `shape` in place (matchShape: nothing built); false
   * for a shape without runs (a plain string compares whole) and for values with no shape.
   */
  matchable: boolean;
}

const EMPTY_NUMS: number[] = doubleArray();

/**
 * Initial length of the per-record value-stream arrays (reused, never truncated). Stores past
 * an array's end take a growing path that optimized code compiled after the arrays stopped
 * growing does not have: a new encoder's empty arrays deoptimized pushValue ("out of bounds")
 * on its first records. Preallocated, only a record with more values than this grows them.
 */
const STREAM_PREALLOC = 256;

/** Shared empty defaults of the attribute-set cache (never written: replaced whole). */
const NO_KEYS: string[] = valueArray();
const NO_VALUES: AnyValue[] = valueArray();

/** For a substring of a well-formed string: true unless it starts or ends inside a surrogate pair. */
function cutsNoPair(v: string): boolean {
  const n = v.length;
  if (n === 0) return true;
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(n - 1);
  return !(first >= 0xdc00 && first <= 0xdfff) && !(last >= 0xd800 && last <= 0xdbff);
}

function varintSize(v: number): number {
  return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : v < 268435456 ? 4 : v < 34359738368 ? 5 : 8;
}
/**
 * Prefetch (native tokenizer) only when more than this share of the previous batch's bodies
 * missed the anchored fast path. Break-even measured on the large Apache file: native
 * tokenizing ~0.3 µs/body for the whole batch vs TypeScript ~1.6 µs/body for the misses only.
 */
const PREFETCH_MIN_SLOW_SHARE = 0.2;
/** Whole-set misses in a row (same key list) before set keys are skipped for a while. */
const SET_MISSES_BEFORE_SKIP = 16;
/** Longest skip of set keys, in records (a set that starts repeating is found again within it). */
const MAX_SET_SKIP = 1024;

/**
 * True when `s` is exactly `2 * n` lowercase hex digits, decoded into `out[at, at + n)` (a
 * loop: a regex test and a Buffer per id cost more than the rest of the record).
 */
function decodeLowerHex(s: string, n: number, out: Uint8Array, at: number): boolean {
  if (s.length !== 2 * n) return false;
  for (let i = 0; i < n; i++) {
    const hi = hexValue(s.charCodeAt(2 * i));
    const lo = hexValue(s.charCodeAt(2 * i + 1));
    if ((hi | lo) < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return true;
}

/** Most attribute key lists the encoder keeps state for (then it starts over). */
const MAX_KEY_LISTS = 256;

/** Per attribute key list: the strings derived from it, its last value set, its set look-up misses. */
class KeyListState {
  /** The next known list with the same first key. */
  next: KeyListState | undefined = undefined;
  /** The delta state of "this key list" (prevAttrs), the list's slot group key and its dictionary key. */
  readonly keyState: string;
  readonly groupKey: string;
  readonly dictKey: string;
  /** Dictionary mode per key (undefined: all lazy). */
  modes: Uint8Array | undefined = undefined;
  /** The list holds an untagged key: no whole-set entries. */
  noSet = false;
  /** Values of the last set of primitives under this list (empty when there is none), its key and state. */
  values: AnyValue[] = NO_VALUES;
  setKey: string | undefined = undefined;
  setState: string | undefined = undefined;
  // Whole-set look-ups that found nothing (not in the dictionary, not admitted) in a row; past
  // SET_MISSES_BEFORE_SKIP, the next `setSkip` records under this list skip the set key (its
  // string, look-up and admission count), with the skip doubling each time (high-cardinality
  // values such as request ids make every set unique).
  setMisses = 0;
  setSkip = 0;
  setBackoff = 0;

  constructor(
    readonly keys: string[],
    readonly keysKey: string,
  ) {
    this.keyState = 'K' + keysKey;
    this.groupKey = 'A' + keysKey;
    this.dictKey = 'k' + keysKey;
  }
}

/** Key lists equal key by key (property keys are internalized: pointer compares). */
function sameKeys(a: string[], b: string[]): boolean {
  const n = b.length;
  if (n !== a.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `o` has exactly `n` own enumerable keys (no array built, unlike Object.keys). */
function hasKeyCount(o: object, n: number): boolean {
  let count = 0;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) count++;
  return count === n;
}

// Datum oneof field numbers.
const F_PATTERN_DEFINE = 1;
const F_PATTERN_DELETE = 2;
const F_DICT_DEFINE = 3;
const F_DICT_DELETE = 4;
const F_LOG = 5;

class FallbackSignal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface StructInfo {
  /** Dictionary key: kind prefix + the encoded message bytes as latin1. */
  key: string;
  /** Encoded Resource / InstrumentationScope message body. */
  bytes: Uint8Array;
}

function bytesKey(prefix: string, b: Uint8Array): string {
  return prefix + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** Writes `src[at, at + n)` as a length-delimited bytes field. */
function writeBytesOf(w: WireWriter, src: Uint8Array, at: number, n: number): void {
  w.uint32(n);
  for (let i = 0; i < n; i++) w.byte(src[at + i]!);
}

/** Serializes datums (e.g. the define datums of acknowledged state) into a DatumSequence payload. */
export function encodeDatumSequence(datums: Datum[]): Uint8Array {
  return DatumSequence.encode({ data: datums }).finish();
}

export class StatefulEncoder {
  private readonly patterns: PatternMatcher;
  /** The store this encoder built (its fast-path counter drives prefetching). */
  private readonly store: PatternStore | undefined;
  /** The pattern matcher when it is a PatternStore (matched by offsets, see writePattern). */
  private readonly spanStore: PatternStore | undefined;
  /** Bodies matched / of them anchored (no tokenizing) in the previous batch, see encode(). */
  private batchMatches = 0;
  private batchAnchoredAtStart = 0;
  private prevSlowShare = 1;
  private readonly tokenizer: SelectedTokenizer | undefined;
  private readonly dict: TagDictionary;
  private readonly json: boolean;
  private readonly maxDepth: number;
  private readonly maxPatternBody: number;
  private readonly maxKeyList: number;
  private readonly setAdmitAfter: number;
  /** Clock of the pattern store this encoder built, read once per batch. */
  private clockMs = Date.now();
  /** The store built here reads clockMs through setNow (no clock was injected). */
  private readonly pinStoreClock: boolean = false;
  /** Attribute key -> DICT_ALWAYS / DICT_NEVER; undefined when no key is named. */
  private readonly dictModes: Map<string, number> | undefined;
  private readonly log = diag.createComponentLogger({ namespace: 'otel-stateful-logs/encoder' });

  /** The batch being written. */
  private readonly w = new WireWriter(256 * 1024);
  /** The Log being written (appended to `w` once complete). */
  private readonly lw = new WireWriter(16 * 1024);
  // (16 KiB, not 4: a template's define reserves 3 bytes per UTF-16 unit, so templates of a
  // few thousand characters (the clusterer's default cap is 4096 bytes) grew 4 KiB writers on
  // a new encoder's first batches, a path its predecessor's optimized code had no type
  // feedback for, which deoptimized WireWriter.ensure)
  private readonly scratch = new WireWriter(16 * 1024);
  /** Dictionary define datums (their bodies often sit in `scratch`). */
  private readonly defineW = new WireWriter(16 * 1024);
  /** The current record's trace id (bytes 0-15) and span id (16-23), decoded while checked. */
  private readonly ids = new Uint8Array(24);
  private stateChanges: Datum[] = valueArray();
  private readonly issues: AnyValueIssues = newIssues();
  private readonly st: EncoderStats = {
    records: 0, batches: 0, payloadBytes: 0, patternedBodies: 0, rawBodies: 0, typedBodies: 0,
    jsonBodies: 0, fallbacks: 0, fallbackReasons: {}, patternDefines: 0, patternDeletes: 0,
    dictDefines: 0, dictDeletes: 0, patterns: 0, dictEntries: 0, dictBytes: 0, truncatedValues: 0,
    coercedValues: 0,
  };

  // ---- delta state (reset every batch) ----
  private prevSec = 0;
  private prevNanos = 0;
  private prevDelta = 0;
  private prevPattern = 0;
  private prevSevNum: number | undefined = undefined;
  private prevSevText: string | undefined = undefined;
  private prevResource: string | undefined = undefined;
  private prevScope: string | undefined = undefined;
  /** Previous log's attributes: 'E' empty, 'K'+keys (key list), 'S'+set key, undefined (inline). */
  private prevAttrs: string | undefined = 'E';
  private prevJsonKeys: string | undefined = undefined;
  private readonly slotGroups = new Map<number | string, (SlotState | undefined)[]>();
  private readonly resourceInfo = new Map<object, StructInfo>();
  private readonly scopeInfo = new Map<object, StructInfo>();
  // the last entries of the two maps above (cleared with them)
  private lastResource: object | undefined = undefined;
  private lastResourceInfo: StructInfo | undefined = undefined;
  private lastScope: object | undefined = undefined;
  private lastScopeInfo: StructInfo | undefined = undefined;

  // ---- per-record value stream ----
  private codes: number[] = smiArray(STREAM_PREALLOC);
  private shapes: string[] = valueArray(STREAM_PREALLOC);
  private nums: number[] = doubleArray(STREAM_PREALLOC);
  private anys: AnyValue[] = valueArray(STREAM_PREALLOC);
  // lengths of the arrays above for the current record (reused, never truncated)
  private nCodes = 0;
  private nShapes = 0;
  private nNums = 0;
  private nAnys = 0;
  /** Set once the current record has changed slot state (an error after that resets). */
  private touchedSlots = false;
  /** The receiver must restart the batch's delta state before the next Log (reset_delta). */
  private resetPending = false;

  constructor(o: EncoderOptions = {}) {
    if (o.patternStore === false) this.patterns = NO_PATTERNS;
    else if (o.patternStore !== undefined) this.patterns = o.patternStore;
    else if (o.patterns?.tokenizer !== undefined) this.patterns = new PatternStore(o.patterns);
    else {
      // the native tokenizer pays per call: the encoder announces each batch's bodies
      this.tokenizer = selectTokenizer({ tokenizer: o.tokenizer });
      // one clock reading per batch (encode), not per body: Date.now() per anchored match
      // cost more than the match itself; a batch takes well under a millisecond per record.
      // Pinned through setNow, and the tokenizer passed as an object (its prototype method):
      // closures of this encoder in the store's hot call sites deoptimized them on each new
      // encoder ("wrong call target").
      this.pinStoreClock = o.patterns?.now === undefined;
      this.patterns = this.store = new PatternStore({
        now: () => this.clockMs,
        ...o.patterns,
        tokenizerHost: this.tokenizer,
      });
    }
    this.spanStore = this.patterns instanceof PatternStore ? this.patterns : undefined;
    this.dict = new TagDictionary(o.dictionary);
    this.json = o.json ?? true;
    this.maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxPatternBody = o.maxPatternBodyLength ?? 64 * 1024;
    this.maxKeyList = o.maxKeyListLength ?? 1024;
    this.setAdmitAfter = Math.max(1, o.dictionary?.admitAfter ?? 2) * 4;
    this.dictModes = attributeDictModes(o.tagAttributes, o.untaggedAttributes);
  }

  /** Encodes one batch. Never throws on bad records (they fall back and are counted). */
  encode(records: LogRecordData[]): EncodedBatch {
    const w = this.w;
    w.reset();
    this.stateChanges = valueArray();
    this.resetDelta();
    this.resetPending = false;
    this.clockMs = Date.now();
    if (this.pinStoreClock) this.store!.setNow(this.clockMs);
    this.dict.tick(this.clockMs);
    // The native tokenizer pays per call, so the encoder announces the batch's bodies, but only
    // while the store still tokenizes many of them: known templates take the anchored fast
    // path (no tokenizing), and tokenizing a whole batch natively for a few misses costs more
    // than tokenizing those few in TypeScript.
    if (this.tokenizer !== undefined && this.tokenizer.impl === 'native' && this.prevSlowShare > PREFETCH_MIN_SLOW_SHARE) {
      this.prefetchBodies(records);
    }
    this.batchMatches = 0;
    this.batchAnchoredAtStart = this.store?.anchoredCount ?? 0;
    let count = 0;
    for (let i = 0; i < records.length; i++) {
      const rec = records[i]!;
      if (this.encodeRecord(rec)) count++;
    }
    this.resourceInfo.clear();
    this.scopeInfo.clear();
    this.lastResource = this.lastResourceInfo = this.lastScope = this.lastScopeInfo = undefined;
    this.tokenizer?.clearPrefetch();
    if (this.store !== undefined && this.batchMatches >= 16) {
      this.prevSlowShare = 1 - (this.store.anchoredCount - this.batchAnchoredAtStart) / this.batchMatches;
    }
    const payload = w.finish();
    w.shrink(8 * 1024 * 1024, 256 * 1024);
    this.lw.shrink(1024 * 1024, 16 * 1024);
    this.st.batches++;
    this.st.records += count;
    this.st.payloadBytes += payload.length;
    if (this.issues.truncatedDepth > this.st.truncatedValues) {
      this.warnOnce('depth', `values nested deeper than ${this.maxDepth} levels (or cyclic) were replaced by a marker; counted in stats().truncatedValues`);
    }
    if (this.issues.coerced > this.st.coercedValues) {
      this.warnOnce('coerced', 'values that are not AnyValues (function, symbol, bigint) were sent as their String(); counted in stats().coercedValues');
    }
    this.st.truncatedValues = this.issues.truncatedDepth;
    this.st.coercedValues = this.issues.coerced;
    return { payload, stateChanges: this.stateChanges, recordCount: count };
  }

  /** Announces the string bodies the pattern store will see, in order (native tokenizer batches). */
  private prefetchBodies(records: LogRecordData[]): void {
    const bodies: string[] = [];
    for (let i = 0; i < records.length; i++) {
      const b = records[i]?.body;
      // (length checked first: charCodeAt(0) of '' reads past the end, which deoptimizes)
      if (typeof b === 'string' && b.length !== 0 && b.length <= this.maxPatternBody && b.charCodeAt(0) !== 123) bodies.push(b);
    }
    this.tokenizer!.prefetch(bodies);
  }

  /** Which tokenizer the pattern store uses and why (undefined when injected). */
  get tokenizerReason(): string | undefined {
    return this.tokenizer?.reason;
  }

  /** Counters since construction (a copy). */
  stats(): EncoderStats {
    this.st.patterns = this.patterns.size;
    this.st.dictEntries = this.dict.size;
    this.st.dictBytes = this.dict.bytes;
    return { ...this.st, fallbackReasons: { ...this.st.fallbackReasons } };
  }

  private resetDelta(): void {
    this.prevSec = 0;
    this.prevNanos = 0;
    this.prevDelta = 0;
    this.prevPattern = 0;
    this.prevSevNum = undefined;
    this.prevSevText = undefined;
    this.prevResource = undefined;
    this.prevScope = undefined;
    this.prevAttrs = 'E';
    this.prevJsonKeys = undefined;
    this.slotGroups.clear();
  }

  // ------------------------------------------------------------------ records

  private encodeRecord(rec: LogRecordData): boolean {
    this.nCodes = 0;
    this.nShapes = 0;
    this.nNums = 0;
    this.nAnys = 0;
    this.touchedSlots = false;
    if (this.patternDeletes.length !== 0) this.patternDeletes = [];
    let ok = false;
    try {
      this.writeCompactLog(rec);
      ok = true;
    } catch (err) {
      const reason = err instanceof FallbackSignal ? err.reason : 'internal-error';
      if (!(err instanceof FallbackSignal)) {
        this.log.warn(`record sent whole after an unexpected encoder error: ${String(err)}`);
      }
      // slot state may be half-updated: both ends restart the batch's delta state (the
      // next Log written, this fallback or a later record, tells the receiver)
      if (this.touchedSlots) {
        this.resetDelta();
        this.resetPending = true;
      }
      ok = this.writeFallback(rec, reason);
    }
    // Deletes go after the record's Log: the record may reference what its own matching
    // evicted, and no later record can (evicted ids are never handed out again).
    // (writePattern took the store's deletes right after its match: nothing else evicts)
    if (this.patternDeletes.length !== 0) {
      for (const id of this.patternDeletes) {
        if (this.unsendablePatterns.delete(id)) continue; // never defined on the wire
        this.emitPatternDelete(id);
      }
    }
    if (this.dict.overHighWatermark) for (const id of this.dict.evict()) this.emitDictDelete(id);
    return ok;
  }

  private readonly warned = new Set<string>();

  /** One diag line per kind of problem: a bad producer must not flood the logs. */
  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(message);
  }

  private fallback(reason: string): never {
    throw new FallbackSignal(reason);
  }

  /** Writes a record whole; only fails (record dropped, counted) if even that throws. */
  private writeFallback(rec: LogRecordData, reason: string): boolean {
    this.st.fallbacks++;
    this.st.fallbackReasons[reason] = (this.st.fallbackReasons[reason] ?? 0) + 1;
    this.warnOnce(reason, `log record sent whole, not compactly (${reason}); further ones are only counted (stats().fallbackReasons)`);
    const lw = this.lw;
    try {
      lw.reset();
      lw.tag(30, WT_LEN);
      lw.fork();
      writeAnyValue(lw, rec, this.issues, 0, this.maxDepth);
      lw.join();
      this.appendLog();
      return true;
    } catch (err) {
      this.st.fallbackReasons['dropped'] = (this.st.fallbackReasons['dropped'] ?? 0) + 1;
      this.log.error(`log record dropped: it cannot be encoded even whole (${String(err)})`);
      return false;
    }
  }

  private appendLog(): void {
    if (this.resetPending) {
      this.lw.tag(31, WT_VARINT);
      this.lw.bool(true);
      this.resetPending = false;
    }
    const w = this.w;
    w.tag(1, WT_LEN);
    w.fork();
    w.tag(F_LOG, WT_LEN);
    w.uint32(this.lw.pos);
    w.copyFrom(this.lw.buf, this.lw.pos);
    w.join();
  }

  /** Writes the compact Log for `rec`; throws FallbackSignal when it cannot. */
  private writeCompactLog(rec: LogRecordData): void {
    if (rec === null || typeof rec !== 'object') this.fallback('not-an-object');
    const t = rec.hrTime;
    const o = rec.hrTimeObserved;
    if (!isCanonicalTime(t) || !isCanonicalTime(o)) this.fallback('time');
    const sevNum = rec.severityNumber;
    if (sevNum !== undefined && !(Number.isInteger(sevNum) && sevNum >= 0 && sevNum < 0x7ffffff0 && !Object.is(sevNum, -0))) {
      this.fallback('severity-number');
    }
    const sevText = rec.severityText;
    if (sevText !== undefined && (typeof sevText !== 'string' || !isWellFormed(sevText))) this.fallback('severity-text');
    const dropped = rec.droppedAttributesCount;
    if (!(Number.isInteger(dropped) && dropped >= 0 && dropped <= 0xffffffff) || Object.is(dropped, -0)) this.fallback('dropped-count');
    const attrs = rec.attributes;
    if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs) || attrs instanceof Uint8Array) this.fallback('attributes');
    const sc = rec.spanContext;
    if (sc !== undefined) {
      if (
        sc === null || typeof sc !== 'object' || typeof sc.traceId !== 'string' || typeof sc.spanId !== 'string' ||
        !decodeLowerHex(sc.traceId, 16, this.ids, 0) || !decodeLowerHex(sc.spanId, 8, this.ids, 16) ||
        !(Number.isInteger(sc.traceFlags) && sc.traceFlags >= 0 && sc.traceFlags <= 0xffffffff) || Object.is(sc.traceFlags, -0) ||
        !hasKeyCount(sc, 3)
      ) {
        this.fallback('span-context');
      }
    }
    const eventName = rec.eventName;
    if (eventName !== undefined && (typeof eventName !== 'string' || !isWellFormed(eventName))) this.fallback('event-name');
    const res = this.structInfo(rec.resource, true);
    const scope = this.structInfo(rec.scope, false);

    const lw = this.lw;
    lw.reset();

    // times
    const d = timeDelta(t[0], t[1], this.prevSec, this.prevNanos);
    if (d === undefined) {
      lw.tag(2, WT_LEN);
      lw.fork();
      this.writeTimestamp(lw, t[0], t[1]);
      lw.join();
    } else {
      // delta of deltas: a steady rate costs nothing
      const dd = d - this.prevDelta;
      if (dd !== 0) {
        if (Number.isSafeInteger(dd)) {
          lw.tag(1, WT_VARINT);
          lw.sint53(dd);
        } else {
          lw.tag(2, WT_LEN);
          lw.fork();
          this.writeTimestamp(lw, t[0], t[1]);
          lw.join();
        }
      }
    }
    const od = timeDelta(o[0], o[1], t[0], t[1]);
    if (od === undefined) {
      lw.tag(4, WT_LEN);
      lw.fork();
      this.writeTimestamp(lw, o[0], o[1]);
      lw.join();
    } else if (od !== 0) {
      lw.tag(3, WT_VARINT);
      lw.sint53(od);
    }

    // severity
    if (sevNum !== this.prevSevNum || sevText !== this.prevSevText) {
      lw.tag(5, WT_VARINT);
      lw.uint32(sevNum === undefined ? 1 : sevNum + 2);
      if (sevText !== undefined) {
        const id = this.textRef(sevText, sevText.length <= 64);
        if (id > 0) {
          lw.tag(6, WT_VARINT);
          lw.uint53(id + 2);
        } else {
          lw.tag(6, WT_VARINT);
          lw.uint32(2);
          lw.tag(7, WT_LEN);
          lw.string(sevText);
        }
      }
    }

    // body (pattern values and JSON fields lead the value stream)
    this.writeBody(lw, rec.body);

    // attributes
    const attrState = this.writeAttributes(lw, attrs as AnyValueMap);
    if (dropped !== 0) {
      lw.tag(20, WT_VARINT);
      lw.uint32(dropped);
    }

    // resource, scope
    if (res.key !== this.prevResource) this.writeStructRef(lw, 21, res, 'resource');
    if (scope.key !== this.prevScope) this.writeStructRef(lw, 23, scope, 'scope');

    // trace context
    if (sc !== undefined) {
      lw.tag(25, WT_LEN);
      writeBytesOf(lw, this.ids, 0, 16);
      lw.tag(26, WT_LEN);
      writeBytesOf(lw, this.ids, 16, 8);
      if (sc.traceFlags !== 0) {
        lw.tag(27, WT_VARINT);
        lw.uint32(sc.traceFlags);
      }
      lw.tag(28, WT_VARINT);
      lw.bool(true);
    }
    if (eventName !== undefined) {
      lw.tag(29, WT_LEN);
      lw.string(eventName);
    }

    this.writeValueStream(lw);
    this.appendLog();

    // commit delta state
    this.prevSec = t[0];
    this.prevNanos = t[1];
    this.prevDelta = d !== undefined && Number.isSafeInteger(d - this.prevDelta) ? d : 0;
    this.prevSevNum = sevNum;
    this.prevSevText = sevText;
    this.prevResource = res.key;
    this.prevScope = scope.key;
    this.prevAttrs = attrState;
    if (this.pendingJsonKeys !== undefined) this.prevJsonKeys = this.pendingJsonKeys;
    if (this.pendingPattern !== 0) this.prevPattern = this.pendingPattern;
  }

  private writeTimestamp(w: WireWriter, s: number, n: number): void {
    if (s !== 0) {
      w.tag(1, WT_VARINT);
      w.uint53(s);
    }
    if (n !== 0) {
      w.tag(2, WT_VARINT);
      w.uint32(n);
    }
  }

  // ------------------------------------------------------------------ body

  private pendingPattern = 0;
  private pendingJsonKeys: string | undefined = undefined;

  private writeBody(lw: WireWriter, body: AnyValue): void {
    this.pendingPattern = 0;
    this.pendingJsonKeys = undefined;
    if (body === undefined) return;
    if (typeof body !== 'string' || !isWellFormed(body)) {
      this.st.typedBodies++;
      lw.tag(14, WT_LEN);
      lw.fork();
      writeAnyValue(lw, body, this.issues, 0, this.maxDepth);
      lw.join();
      return;
    }
    if (this.json) {
      // (splitJsonBody checks the braces and the length itself, cheaply, before any parse)
      const split = splitJsonBody(body);
      if (split !== undefined) {
        this.st.jsonBodies++;
        let messageIndex = split.messageIndex;
        // a message that cannot be patterned travels as a plain field value
        if (messageIndex >= 0 && !this.writePattern(lw, split.values[messageIndex] as string)) messageIndex = -1;
        this.writeJsonBody(lw, split.keys, split.values, messageIndex);
        return;
      }
    }
    if (body.length <= this.maxPatternBody && this.writePattern(lw, body)) {
      this.st.patternedBodies++;
      return;
    }
    this.st.rawBodies++;
    lw.tag(13, WT_LEN);
    lw.string(body);
  }

  /** Patterns the store defined but the wire never saw (see writePattern). */
  private readonly unsendablePatterns = new Set<number>();

  /** Pattern deletes to emit after the current record's Log. */
  private patternDeletes: number[] = [];

  /**
   * Matches `text` against the pattern store and writes pattern_code + its values into
   * the value stream; false when the text must travel raw.
   */
  private writePattern(lw: WireWriter, text: string): boolean {
    this.batchMatches++;
    const spanStore = this.spanStore;
    if (spanStore !== undefined) {
      // offsets instead of a PatternMatch and its array of substrings
      const s = spanStore.matchSpans(text);
      this.takePatternDeletes();
      if (s === undefined || !this.acceptPattern(lw, s.patternId, s.literals, s.wildcardKinds, s.defined)) return false;
      const group = this.slotGroup(s.patternId);
      const starts = s.starts;
      const ends = s.ends;
      const n = s.count;
      for (let i = 0; i < n; i++) {
        // (cutting the value out and comparing strings beats comparing in place, char by
        // char, by ~2x: V8 compares flat strings word-wise)
        const v = text.slice(starts[i]!, ends[i]!);
        const prev = group[i];
        if (prev !== undefined && prev.value === v) {
          this.codes[this.nCodes++] = 3;
          continue;
        }
        // values are substrings of a well-formed body: only their ends can split a pair
        this.pushValue(group, i, v, true, DICT_LAZY, true);
      }
      return true;
    }
    const m = this.patterns.match(text);
    this.takePatternDeletes();
    if (m === undefined || !this.acceptPattern(lw, m.patternId, m.literals, m.wildcardKinds, m.defined)) return false;
    const group = this.slotGroup(m.patternId);
    const values = m.values;
    for (let i = 0; i < values.length; i++) this.pushValue(group, i, values[i]!, true);
    return true;
  }

  private takePatternDeletes(): void {
    const deletes = this.patterns.takeDeletes();
    for (let i = 0; i < deletes.length; i++) this.patternDeletes.push(deletes[i]!);
  }

  /**
   * Emits the pattern's define when the match (re)defined it and writes its pattern_code;
   * false when the pattern cannot travel (the body goes raw).
   */
  private acceptPattern(lw: WireWriter, patternId: number, literals: string[], kinds: number[], defined: boolean): boolean {
    if (defined) {
      // a literal cut through a surrogate pair cannot travel as a proto string: the
      // pattern stays unknown to the receiver until a later (widened) define is clean
      for (const lit of literals) {
        if (!isWellFormed(lit)) {
          this.unsendablePatterns.add(patternId);
          return false;
        }
      }
      this.unsendablePatterns.delete(patternId);
      this.emitPatternDefine(patternId, literals, kinds);
    } else if (this.unsendablePatterns.size > 0 && this.unsendablePatterns.has(patternId)) {
      return false;
    }
    lw.tag(8, WT_VARINT);
    lw.uint53(patternCode(patternId, this.prevPattern));
    this.pendingPattern = patternId;
    return true;
  }

  private writeJsonBody(lw: WireWriter, keys: string[], values: AnyValue[], messageIndex: number): void {
    const keysKey = listKey(keys);
    lw.tag(15, WT_LEN);
    lw.fork();
    if (keysKey === this.prevJsonKeys) {
      // keys_code 0: same key list as the previous JSON body
    } else {
      const id = this.keyListRef(keys, 'k' + keysKey, keysKey);
      if (id > 0) {
        lw.tag(1, WT_VARINT);
        lw.uint53(id + 1);
      } else {
        lw.tag(1, WT_VARINT);
        lw.uint32(1);
        for (const k of keys) {
          lw.tag(2, WT_LEN);
          lw.string(k);
        }
      }
    }
    if (messageIndex >= 0) {
      lw.tag(3, WT_VARINT);
      lw.uint32(messageIndex + 1);
    }
    lw.join();
    this.pendingJsonKeys = keysKey;
    const group = this.slotGroup('J' + keysKey);
    for (let i = 0; i < keys.length; i++) if (i !== messageIndex) this.pushValue(group, i, values[i]);
  }

  // ------------------------------------------------------------------ attributes

  // What the encoder keeps per attribute key list (KeyListState): a record of a known call site
  // is recognized by comparing key by key (and value by value) instead of building the
  // strings again, and each list keeps its own whole-set miss count. Apps interleave a few
  // lists (one per log call site): with only the last list cached, every switch rebuilt the
  // strings and restarted the set look-ups (demo generator: 3 switches in 4 records, ~0.9 KB
  // of strings per record). Not delta state.
  private kl: KeyListState = new KeyListState(NO_KEYS, '');
  /** Known key lists by their first key (a short chain per key), at most MAX_KEY_LISTS. */
  private readonly keyLists = new Map<string, KeyListState>();
  private keyListCount = 0;

  /** The state of a well-formed key list (found or made); undefined for a list that cannot be cached. */
  private keyListState(keys: string[]): KeyListState | undefined {
    const n = keys.length;
    const first = keys[0]!;
    const head = this.keyLists.get(first);
    for (let st = head; st !== undefined; st = st.next) if (sameKeys(st.keys, keys)) return st;
    if (n > this.maxKeyList) return undefined;
    for (let i = 0; i < n; i++) if (!isWellFormed(keys[i]!)) return undefined;
    const st = new KeyListState(keys, listKey(keys));
    const modes = this.dictModes;
    if (modes !== undefined) {
      for (let i = 0; i < n; i++) {
        const m = modes.get(keys[i]!);
        if (m === undefined) continue;
        (st.modes ??= new Uint8Array(n))[i] = m;
        if (m === DICT_NEVER) st.noSet = true;
      }
    }
    if (this.keyListCount >= MAX_KEY_LISTS) {
      this.keyLists.clear();
      this.keyListCount = 0;
      st.next = undefined;
    } else st.next = head;
    this.keyLists.set(first, st);
    this.keyListCount++;
    return st;
  }

  /** True when `attrs` holds the values of the set cached for this key list (keys already equal). */
  private sameAsCachedValues(kl: KeyListState, keys: string[], attrs: AnyValueMap): boolean {
    const cv = kl.values;
    const n = keys.length;
    if (n !== cv.length) return false;
    for (let i = 0; i < n; i++) {
      const v = attrs[keys[i]!];
      // primitives only (the cache holds no others); -0 vs 0 and NaN handled by Object.is
      if (v !== cv[i] || (typeof v === 'number' && !Object.is(v, cv[i]))) return false;
    }
    return true;
  }

  /** Caches the set's values and key when every value is a string, number or boolean. */
  private cacheSetValues(kl: KeyListState, keys: string[], attrs: AnyValueMap, setKey: string): void {
    // one elements kind whatever the values (new Array(n) made holey small-integer, double or
    // any-value arrays, and sameAsCachedValues saw each of them)
    const values = valueArray<AnyValue>();
    for (let i = 0; i < keys.length; i++) {
      const v = attrs[keys[i]!];
      const t = typeof v;
      if (t !== 'string' && t !== 'number' && t !== 'boolean') {
        kl.values = NO_VALUES;
        return;
      }
      values.push(v);
    }
    kl.values = values;
    kl.setKey = setKey;
    kl.setState = 'S' + setKey;
  }

  /** Writes the attributes; returns the new attribute delta state (see prevAttrs). */
  private writeAttributes(lw: WireWriter, attrs: AnyValueMap): string | undefined {
    const keys = Object.keys(attrs);
    const n = keys.length;
    const prev = this.prevAttrs;
    if (n === 0) {
      if (prev !== 'E') {
        lw.tag(17, WT_VARINT);
        lw.uint32(1);
      }
      return 'E';
    }
    let kl = this.kl;
    if (!sameKeys(kl.keys, keys)) {
      const found = this.keyListState(keys);
      if (found === undefined) {
        lw.tag(17, WT_VARINT);
        lw.uint32(2);
        lw.tag(18, WT_LEN);
        lw.fork();
        writeKeyValues(lw, attrs, 1, this.issues, 1, this.maxDepth);
        lw.join();
        return undefined;
      }
      this.kl = kl = found;
    }
    const keysKey = kl.keysKey;

    // a whole set of primitive values that keeps coming back: one dictionary id
    let setKey: string | undefined;
    let setState: string | undefined;
    if (kl.noSet) {
      // an untagged key's value never travels inside a dictionary entry
    } else if (this.sameAsCachedValues(kl, keys, attrs)) {
      setKey = kl.setKey;
      setState = kl.setState;
    } else if (kl.setSkip > 0) {
      kl.setSkip--;
    } else {
      setKey = this.attributeSetKey(keysKey, keys, attrs);
      if (setKey !== undefined) {
        this.cacheSetValues(kl, keys, attrs, setKey);
        setState = kl.setState;
      }
    }
    if (setKey !== undefined && setState !== undefined) {
      const state = setState;
      if (state === prev) return state; // code 0: the same set as the previous log
      let id = this.dict.lookup(setKey);
      // a whole set must prove itself longer than a string: a set that only repeats for a
      // moment (same second, same pid) costs a define and saves little over the slots
      if (id === 0 && this.dict.shouldAdmit(setKey, setKey.length * 2, false, this.setAdmitAfter)) {
        id = this.dict.admit(setKey, setKey.length * 2);
        this.scratch.reset();
        writeKeyValues(this.scratch, attrs, 1, this.issues, 1, this.maxDepth);
        this.emitDictDefine(id, 3, this.scratch.finish());
      }
      if (id > 0) {
        kl.setMisses = 0;
        kl.setBackoff = 0;
        lw.tag(17, WT_VARINT);
        lw.uint53(id + 3);
        return state;
      }
      if (++kl.setMisses >= SET_MISSES_BEFORE_SKIP) {
        kl.setMisses = 0;
        kl.setSkip = Math.min(MAX_SET_SKIP, SET_MISSES_BEFORE_SKIP << kl.setBackoff);
        if (kl.setSkip < MAX_SET_SKIP) kl.setBackoff++;
      }
    }

    const state = kl.keyState;
    if (state !== prev) {
      const id = this.keyListRef(keys, kl.dictKey, kl.keysKey);
      lw.tag(17, WT_VARINT);
      if (id > 0) {
        lw.uint53(id + 3);
      } else {
        lw.uint32(3);
        for (const k of keys) {
          lw.tag(19, WT_LEN);
          lw.string(k);
        }
      }
    } // else attributes_code 0: same key list as the previous log
    const group = this.slotGroup(kl.groupKey);
    const modes = kl.modes;
    if (modes === undefined) for (let i = 0; i < n; i++) this.pushValue(group, i, attrs[keys[i]!]);
    else for (let i = 0; i < n; i++) this.pushValue(group, i, attrs[keys[i]!], false, modes[i]!);
    return state;
  }

  /** A dictionary key for a small all-primitive attribute set, else undefined (injective: length-prefixed). */
  private attributeSetKey(keysKey: string, keys: string[], attrs: AnyValueMap): string | undefined {
    if (keys.length > 32) return undefined;
    let key = 'a' + keys.length + ':';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = attrs[k];
      key += k.length + ':' + k;
      switch (typeof v) {
        case 'string':
          if (v.length > 256 || !isWellFormed(v)) return undefined;
          key += 's' + v.length + ':' + v;
          break;
        case 'number':
          key += Object.is(v, -0) ? 'n-0;' : 'n' + v + ';';
          break;
        case 'boolean':
          key += v ? 't' : 'f';
          break;
        default:
          return undefined;
      }
    }
    return key;
  }

  /** `key` is 'k' + keysKey (kept by KeyListState for attribute lists). */
  private keyListRef(keys: string[], key: string, keysKey: string): number {
    let id = this.dict.lookup(key);
    if (id === 0 && this.dict.shouldAdmit(key, keysKey.length * 2, keys.length <= 64 && keysKey.length <= 2048)) {
      id = this.dict.admit(key, keysKey.length * 2);
      const s = this.scratch;
      s.reset();
      for (const k of keys) {
        s.tag(1, WT_LEN);
        s.string(k);
      }
      this.emitDictDefine(id, 7, s.finish());
    }
    return id;
  }

  // ------------------------------------------------------------------ resource & scope

  private structInfo(v: ResourceData | ScopeData, isResource: boolean): StructInfo {
    if (v === null || typeof v !== 'object') this.fallback(isResource ? 'resource' : 'scope');
    // the same object as the previous record's (one provider, one logger): no map look-up
    if (isResource) {
      if (v === this.lastResource) return this.lastResourceInfo!;
    } else if (v === this.lastScope) return this.lastScopeInfo!;
    const cache = isResource ? this.resourceInfo : this.scopeInfo;
    let info = cache.get(v);
    if (info === undefined) {
      info = this.buildStructInfo(v, isResource);
      cache.set(v, info);
    }
    if (isResource) {
      this.lastResource = v;
      this.lastResourceInfo = info;
    } else {
      this.lastScope = v;
      this.lastScopeInfo = info;
    }
    return info;
  }

  private buildStructInfo(v: ResourceData | ScopeData, isResource: boolean): StructInfo {
    const s = this.scratch;
    s.reset();
    if (isResource) {
      const r = v as ResourceData;
      const attrs = r.attributes;
      if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) this.fallback('resource');
      const dropped = r.droppedAttributesCount;
      const url = r.schemaUrl;
      if (dropped !== undefined && !(Number.isInteger(dropped) && dropped >= 0 && dropped <= 0xffffffff && !Object.is(dropped, -0))) this.fallback('resource');
      if (url !== undefined && (typeof url !== 'string' || !isWellFormed(url))) this.fallback('resource');
      writeKeyValues(s, attrs, 1, this.issues, 1, this.maxDepth);
      if (dropped !== undefined) {
        s.tag(2, WT_VARINT);
        s.uint32(dropped);
      }
      if (url !== undefined) {
        s.tag(3, WT_LEN);
        s.string(url);
      }
    } else {
      const sc = v as ScopeData;
      const { name, version, schemaUrl, attributes, droppedAttributesCount: dropped } = sc;
      if (typeof name !== 'string' || !isWellFormed(name)) this.fallback('scope');
      if (version !== undefined && (typeof version !== 'string' || !isWellFormed(version))) this.fallback('scope');
      if (schemaUrl !== undefined && (typeof schemaUrl !== 'string' || !isWellFormed(schemaUrl))) this.fallback('scope');
      if (attributes !== undefined && (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))) this.fallback('scope');
      if (dropped !== undefined && !(Number.isInteger(dropped) && dropped >= 0 && dropped <= 0xffffffff && !Object.is(dropped, -0))) this.fallback('scope');
      if (name !== '') {
        s.tag(1, WT_LEN);
        s.string(name);
      }
      if (version !== undefined) {
        s.tag(2, WT_LEN);
        s.string(version);
        s.tag(6, WT_VARINT);
        s.bool(true);
      }
      if (schemaUrl !== undefined) {
        s.tag(3, WT_LEN);
        s.string(schemaUrl);
        s.tag(7, WT_VARINT);
        s.bool(true);
      }
      if (attributes !== undefined) {
        writeKeyValues(s, attributes, 4, this.issues, 1, this.maxDepth);
        s.tag(8, WT_VARINT);
        s.bool(true);
      }
      if (dropped !== undefined) {
        s.tag(5, WT_VARINT);
        s.uint32(dropped);
        s.tag(9, WT_VARINT);
        s.bool(true);
      }
    }
    const bytes = s.finish();
    return { key: bytesKey(isResource ? 'r' : 's', bytes), bytes };
  }

  private writeStructRef(lw: WireWriter, field: number, info: StructInfo, what: 'resource' | 'scope'): void {
    let id = this.dict.lookup(info.key);
    if (id === 0 && this.dict.shouldAdmit(info.key, info.bytes.length, true)) {
      id = this.dict.admit(info.key, info.bytes.length);
      this.emitDictDefine(id, what === 'resource' ? 4 : 5, info.bytes);
    }
    lw.tag(field, WT_VARINT);
    if (id > 0) {
      lw.uint53(id + 1);
    } else {
      lw.uint32(1);
      lw.tag(field + 1, WT_LEN);
      lw.bytes(info.bytes);
    }
  }

  // ------------------------------------------------------------------ value stream

  private slotGroup(key: number | string): (SlotState | undefined)[] {
    let g = this.slotGroups.get(key);
    if (g === undefined) {
      g = holeyArray<SlotState | undefined>();
      this.slotGroups.set(key, g);
    }
    return g;
  }

  private textRef(text: string, always: boolean): number {
    let id = this.dict.lookup(text, NS_TEXT);
    if (id === 0 && this.dict.shouldAdmit(text, text.length * 2, always || text.length <= this.dict.admitShortLength, undefined, NS_TEXT)) {
      id = this.dict.admit(text, text.length * 2, NS_TEXT);
      const s = this.scratch;
      s.reset();
      s.string(text);
      // DictEntryDefine.text = 2: the scratch holds the length-prefixed string (text is
      // well-formed: shapes of well-formed values, checked severity texts)
      this.emitDictDefine(id, 2, s.finish(), true, { kind: { $case: 'dictEntryDefine', dictEntryDefine: { id, value: { $case: 'text', text } } } });
    }
    return id;
  }

  /**
   * Appends one value (of slot `idx` in `group`) to the value stream and updates the
   * slot's state in place (a failure after this point resets the batch's delta state on
   * both ends, see encodeRecord). `dictMode` says whether a new shape may get (or must get
   * at once) a dictionary id: DICT_LAZY, DICT_ALWAYS (tag attributes) or DICT_NEVER (untagged).
   * `differs`: the caller knows `v` is not the slot's previous value.
   */
  private pushValue(group: (SlotState | undefined)[], idx: number, v: AnyValue, inWellFormed = false, dictMode = DICT_LAZY, differs = false): void {
    let prev = group[idx];
    const codes = this.codes;
    if (!differs && prev !== undefined && (v === null || typeof v !== 'object')) {
      // Object.is without its call (strings compare inline): 0 and -0 differ, NaN equals NaN
      const pv = prev.value;
      if (pv === v ? v !== 0 || 1 / (v as number) === 1 / (pv as number) : v !== v && pv !== pv) {
        codes[this.nCodes++] = 3;
        return;
      }
    }
    this.touchedSlots = true;
    // numbers (but -0) travel as their text under a numeric shape: runs get deltas too
    const isNumber = typeof v === 'number' && canShapeNumber(v);
    const text = isNumber ? String(v) : (v as string);
    if (isNumber || (typeof v === 'string' && v.length <= MAX_SHAPE_INPUT && (inWellFormed ? cutsNoPair(v) : isWellFormed(v)))) {
      const nums = this.nums;
      const start = this.nNums;
      let shape: string;
      let runs: number;
      let fits: boolean;
      let matched = -1;
      if (prev !== undefined && prev.matchable && isNumberShape(prev.shape!) === isNumber) matched = matchShape(text, prev.shape!, nums, start);
      if (matched >= 0) {
        // the common case: the slot's shape again, no string built
        shape = prev!.shape!;
        runs = matched;
        fits = true;
      } else {
        shape = shapeInto(text, nums, start);
        if (isNumber) shape = NUMBER_MARK + shape;
        runs = shapeRuns.n;
        fits = prev !== undefined && prev.shape !== undefined && (prev.shape === shape || fitsShapeAt(shape, nums, start, prev.shape));
      }
      this.nNums = start + runs;
      let code: number;
      if (fits) {
        prev = prev!;
        // the previous shape renders this text too (e.g. "11" under a zero-padded width 2)
        shape = prev.shape!;
        // delta only when it makes the numbers smaller
        const pn = prev.nums!;
        let absBytes = 0;
        let deltaBytes = 0;
        for (let k = 0; k < runs; k++) {
          absBytes += varintSize(nums[start + k]! * 2);
          const dk = nums[start + k]! - pn[k]!;
          deltaBytes += varintSize(dk >= 0 ? dk * 2 : -dk * 2);
        }
        if (deltaBytes <= absBytes) {
          code = 0;
          for (let k = 0; k < runs; k++) {
            const a = nums[start + k]!;
            nums[start + k] = a - pn[k]!;
            pn[k] = a;
          }
        } else {
          code = 4;
          for (let k = 0; k < runs; k++) pn[k] = nums[start + k]!;
        }
        prev.value = v;
      } else {
        const id = dictMode === DICT_NEVER ? 0 : this.textRef(shape, dictMode === DICT_ALWAYS);
        if (id > 0) code = id + 4;
        else {
          code = 1;
          this.shapes[this.nShapes++] = shape;
        }
        let mine: number[];
        const pn = prev !== undefined ? prev.nums : undefined;
        if (runs === 0) mine = EMPTY_NUMS;
        else if (pn !== undefined && pn !== EMPTY_NUMS && pn.length === runs) {
          // the slot's own array, reused (no other holder)
          mine = pn;
          for (let k = 0; k < runs; k++) mine[k] = nums[start + k]!;
        } else mine = nums.slice(start, start + runs);
        const matchable = runs !== 0 || isNumber;
        if (prev !== undefined) {
          prev.value = v;
          prev.shape = shape;
          prev.nums = mine;
          prev.matchable = matchable;
        } else group[idx] = { value: v, shape, nums: mine, matchable };
      }
      codes[this.nCodes++] = code;
    } else {
      codes[this.nCodes++] = 2;
      this.anys[this.nAnys++] = v;
      if (prev !== undefined) {
        prev.value = v;
        prev.shape = undefined;
        prev.nums = undefined;
        prev.matchable = false;
      } else group[idx] = { value: v, shape: undefined, nums: undefined, matchable: false };
    }
  }

  private writeValueStream(lw: WireWriter): void {
    const n = this.nCodes;
    if (n > 0) {
      const codes = this.codes;
      lw.tag(9, WT_LEN);
      lw.fork();
      for (let i = 0; i < n; i++) lw.uint53(codes[i]!);
      lw.join();
    }
    for (let i = 0; i < this.nShapes; i++) {
      lw.tag(10, WT_LEN);
      lw.string(this.shapes[i]!);
    }
    const nn = this.nNums;
    if (nn > 0) {
      const nums = this.nums;
      lw.tag(11, WT_LEN);
      lw.fork();
      for (let i = 0; i < nn; i++) lw.sint53(nums[i]!);
      lw.join();
    }
    for (let i = 0; i < this.nAnys; i++) {
      lw.tag(12, WT_LEN);
      lw.fork();
      writeAnyValue(lw, this.anys[i], this.issues, 1, this.maxDepth);
      lw.join();
    }
    // drop references to the record's values (the arrays are reused)
    for (let i = 0; i < this.nAnys; i++) this.anys[i] = undefined;
  }

  // ------------------------------------------------------------------ state datums

  /**
   * Appends a state datum to the batch and to stateChanges. `datum` is the object the
   * generated decoder would make of `bytes` (undefined: decoded here); built directly where
   * that is simple, since decoding every define cost more than writing it on files with
   * many new templates and dictionary entries (BGL).
   */
  private pushStateDatum(bytes: Uint8Array, datum?: Datum): void {
    // the transport keeps stateChanges as objects (snapshots are built from acked ones)
    this.stateChanges.push(datum ?? Datum.decode(bytes));
    this.w.tag(1, WT_LEN);
    this.w.bytes(bytes);
  }

  private emitPatternDefine(id: number, literals: string[], kinds: number[]): void {
    const s = this.scratch;
    s.reset();
    s.tag(F_PATTERN_DEFINE, WT_LEN);
    s.fork();
    s.tag(1, WT_VARINT);
    s.uint53(id);
    for (const lit of literals) {
      s.tag(2, WT_LEN);
      s.string(lit);
    }
    if (kinds.length > 0) {
      s.tag(3, WT_LEN);
      s.fork();
      for (const k of kinds) s.uint32(k);
      s.join();
    }
    s.join();
    // (literals are well-formed, checked in acceptPattern: the same strings decoding gives)
    this.pushStateDatum(s.finish(), {
      kind: { $case: 'patternDefine', patternDefine: { patternId: id, literals: literals.slice(), wildcardKinds: kinds.slice() } },
    });
    this.st.patternDefines++;
  }

  private emitPatternDelete(id: number): void {
    const s = this.scratch;
    s.reset();
    s.tag(F_PATTERN_DELETE, WT_LEN);
    s.fork();
    s.tag(1, WT_VARINT);
    s.uint53(id);
    s.join();
    this.pushStateDatum(s.finish(), { kind: { $case: 'patternDelete', patternDelete: { patternId: id } } });
    this.st.patternDeletes++;
  }

  /**
   * Emits DictEntryDefine{id, <field>: body}. `body` is the field's message body, or for
   * a string field (`prefixed`) its length-prefixed UTF-8.
   */
  private emitDictDefine(id: number, field: number, body: Uint8Array, prefixed = false, datum?: Datum): void {
    // one reused writer: a fresh one per define (a buffer and a DataView) was the most
    // expensive line of the encoder on high-cardinality files (BGL: ~7 % of the main thread)
    const s = this.defineW;
    s.reset();
    s.tag(F_DICT_DEFINE, WT_LEN);
    s.fork();
    s.tag(1, WT_VARINT);
    s.uint53(id);
    s.tag(field, WT_LEN);
    if (prefixed) s.raw(body);
    else s.bytes(body);
    s.join();
    this.pushStateDatum(s.finish(), datum);
    s.shrink(1024 * 1024, 16 * 1024);
    this.st.dictDefines++;
  }

  private emitDictDelete(id: number): void {
    const s = this.scratch;
    s.reset();
    s.tag(F_DICT_DELETE, WT_LEN);
    s.fork();
    s.tag(1, WT_VARINT);
    s.uint53(id);
    s.join();
    this.pushStateDatum(s.finish(), { kind: { $case: 'dictEntryDelete', dictEntryDelete: { id } } });
    this.st.dictDeletes++;
  }
}
