/**
 * Drain-style online clustering of tokenized log bodies into {@link Pattern}s, with typed merge
 * rules and no per-dataset tuning.
 *
 * Routing: a body's *skeleton* — token count, each token's class (value / whitespace /
 * punctuation), the code unit and length of every punctuation run, and the exact text of every
 * whitespace token except runs of plain spaces — is hashed (FNV-1a, 32 bit) into a signature.
 * A cluster holds the patterns of one signature, most recently used first (the hot-pattern
 * cache: the usual case is an exact hit on the first entry, checked before anything else).
 * Hash collisions are harmless: matching re-checks every literal.
 *
 * Matching a body against a pattern of its cluster, position by position:
 * - wildcard slot: takes any token (a token of another kind widens the slot's kind to Word);
 * - literal equal to the token: identical;
 * - runs of spaces of different lengths: a *soft* difference (`spaceRunsAsValues`); any other
 *   whitespace or punctuation differing: conflict;
 * - a name kind (Key, Severity, HttpMethod) on either side: conflict (names are never values);
 * - either side "variable-like" — any structured kind (number, hex, IP, UUID, date/time, path,
 *   URL, e-mail, status), a Word containing a digit, a day/month name, or a size/time unit
 *   right after "<number> " (`263.0 B` / `4.0 KB`): a *soft* difference (becomes a wildcard);
 * - both plain words: a *hard* difference. It is refused at the first value position (first-word
 *   protection, until the cluster's patterns have more than `firstWordMaxCardinality` distinct
 *   first words), and refused when both words look like enum constants (ALL_CAPS). Otherwise one
 *   hard difference does not merge at once (two alternatives, like `view`/`modify` or
 *   `failure`/`failures`, are usually different events): the body gets a pattern of its own, and
 *   when `minVariants` patterns of a cluster differ from the body at that single plain-word
 *   position only (a high-cardinality value such as a user name), they are consolidated into the
 *   oldest one, which is widened there. The plain words that stay equal must be at least
 *   `minWordSimilarity` of the plain-word positions.
 * An exact match (no change) wins at once; otherwise the candidate with no hard and the fewest
 * soft differences is widened (its id is kept); else variants are consolidated; else, in a
 * *crowded* cluster (`maxPatternsPerCluster`), the closest pattern with up to 2 hard differences
 * is widened; else a new pattern is created with a fresh id. Ids are monotonic, never reused.
 *
 * Whenever a pattern widens, every other pattern of its cluster that it now covers is *absorbed*
 * (removed, and reported in {@link ClusterResult.absorbed} so the caller can delete it and
 * re-map its id): otherwise the old, narrower pattern would keep winning exact matches and one
 * event would stay split in two, depending on the order lines arrived in.
 */
import { valueArray } from './array-kinds';
import { isNameKind, Pattern } from './pattern';
import { TokenKind, type TokenList } from './token';

/** What a call to {@link Clusterer.add} did to the returned pattern. */
export type ClusterChange = 'created' | 'widened' | 'none';

export interface ClusterResult {
  pattern: Pattern;
  change: ClusterChange;
  /** Change of `pattern.bytes` made by this call (0 unless widened). */
  bytesDelta: number;
  /** Patterns merged into `pattern` and removed by this call (their ids are retired). */
  absorbed?: Pattern[];
}

/** Clustering knobs. The defaults are the one configuration used for every log source. */
export interface ClustererOptions {
  /** Bodies with more tokens are not clustered (sent raw). Default 1024, minimum 1. */
  maxTokens?: number;
  /** A new pattern whose literal text exceeds this many UTF-8 bytes is not created. Default 4096. */
  maxTemplateBytes?: number;
  /** Refuse to wildcard differing plain words at the first value position. Default true. */
  firstWordProtection?: boolean;
  /** A cluster whose patterns have more distinct first words than this stops protecting them. Default 100. */
  firstWordMaxCardinality?: number;
  /** Plain-word differences one merge may turn into wildcards at once. Default 0 (see minVariants). */
  maxWordDifferences?: number;
  /** Patterns differing at one plain-word position only that are consolidated into one wildcard. Default 3, minimum 2. */
  minVariants?: number;
  /** Least share of plain-word positions that must stay equal for a merge, 0..1. Default 0.5. */
  minWordSimilarity?: number;
  /** ALL_CAPS words (enum-like constants) never become wildcards. Default true. */
  protectConstants?: boolean;
  /**
   * A cluster holding this many patterns is *crowded*: a body that fits none of them merges into
   * the closest one with up to 2 plain-word differences (still no names, protected first words
   * or constants) instead of adding another near-duplicate. Default 32, minimum 2.
   */
  maxPatternsPerCluster?: number;
  /**
   * Runs of spaces of different lengths (`user  x` vs `user x`) may differ inside a pattern (a
   * Whitespace wildcard); other whitespace must match exactly. Default true.
   */
  spaceRunsAsValues?: boolean;
  /** Clock in ms (injectable for tests). Default Date.now. */
  now?: () => number;
}

interface Cluster {
  /** Patterns, most recently used first. */
  patterns: Pattern[];
  /** Distinct first words of the patterns; null once over the cardinality limit (protection off). */
  firstWords: Set<string> | null;
}

// Kind numbers as module constants (no object/live-binding lookups on the hot path).
const K_WORD: number = TokenKind.Word;
const K_WHITESPACE: number = TokenKind.Whitespace;
const K_PUNCT: number = TokenKind.Punct;
const K_INTEGER: number = TokenKind.Integer;
const K_FLOAT: number = TokenKind.Float;
const K_KEY: number = TokenKind.Key;
const K_SEVERITY: number = TokenKind.Severity;
const K_HTTPMETHOD: number = TokenKind.HttpMethod;

const SIGNATURE_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// Token classes for the skeleton.
const CLASS_VALUE = 0;
const CLASS_WS = 1;
const CLASS_PUNCT = 2;

function tokenClass(kind: number): number {
  return kind === K_WHITESPACE ? CLASS_WS : kind === K_PUNCT ? CLASS_PUNCT : CLASS_VALUE;
}

function hasDigit(s: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

/** Characters of ALL_CAPS constants: 1 = A-Z, 2 = 0-9 and '_', 0 = any other. */
const ASCII_CONST = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_CONST[c] = c >= 0x41 && c <= 0x5a ? 1 : (c >= 0x30 && c <= 0x39) || c === 0x5f ? 2 : 0;

/** ALL_CAPS constant: >= 2 chars, only A-Z, 0-9, '_' and at least 2 letters, no lower case. */
function isConstantLike(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  // No early exit: the same operations for every character of every word (see compare).
  let letters = 0;
  let other = 0;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    const cls = c < 0x80 ? ASCII_CONST[c]! : 0;
    letters += cls & 1;
    other |= cls === 0 ? 1 : 0;
  }
  return other === 0 && letters >= 2;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      k++;
    } else n += 3;
  }
  return n;
}

function isNumberKind(kind: number): boolean {
  return kind === K_INTEGER || kind === K_FLOAT;
}

function isSpaceRun(s: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (s.charCodeAt(k) !== 0x20) return false;
  return true;
}

/** Size and duration units; after "<number> " they belong to the value (`263.0 B` vs `4.0 KB`). */
const UNIT_WORDS: ReadonlySet<string> = new Set([
  'B', 'KB', 'MB', 'GB', 'TB', 'PB', 'kB', 'KiB', 'MiB', 'GiB', 'TiB',
  'ns', 'us', 'ms', 's', 'sec', 'secs', 'min', 'mins', 'h',
]);

function isUnitWord(s: string, start: number, end: number): boolean {
  return end - start <= 4 && UNIT_WORDS.has(s.slice(start, end));
}

/** Day and month names (English, as in syslog/Apache/Java dates): parts of a date, so values. */
const CALENDAR_WORDS: ReadonlySet<string> = new Set(
  [
    'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun',
    'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
    'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
    'January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
  ].flatMap((w) => [w, w.toUpperCase()]),
);

/** First three code units of every calendar word, packed (cheap pre-check without slicing). */
const CALENDAR_PREFIXES: ReadonlySet<number> = new Set(
  [...CALENDAR_WORDS].map((w) => (w.charCodeAt(0) << 16) | (w.charCodeAt(1) << 8) | w.charCodeAt(2)),
);

function isCalendarWord(s: string, start: number, end: number): boolean {
  const len = end - start;
  // (tested up front, not where it is used: a comparison first reached by a new workload
  // has no type feedback, and the code it is inlined into, classifyValues, is thrown away)
  const short = len === 3;
  if (len < 3 || len > 9) return false;
  const c = s.charCodeAt(start);
  if (c < 0x41 || c > 0x5a) return false;
  const c1 = s.charCodeAt(start + 1);
  const c2 = s.charCodeAt(start + 2);
  if (c1 > 0x7a || c2 > 0x7a || !CALENDAR_PREFIXES.has((c << 16) | (c1 << 8) | c2)) return false;
  return short || CALENDAR_WORDS.has(s.slice(start, end));
}

/** Variable-like: structured kinds, or a Word with a digit. Names and plain words are not. */
function isVarLikeToken(kind: number, s: string, start: number, end: number): boolean {
  if (kind === K_WORD) return hasDigit(s, start, end);
  return !isNameKind(kind) && kind !== K_WHITESPACE && kind !== K_PUNCT;
}

const SCORE_CONFLICT = -1;

export class Clusterer {
  private readonly clusters = new Map<number, Cluster>();
  private nextId = 1;
  private patternCount = 0;
  private readonly maxTokens: number;
  private readonly maxTemplateBytes: number;
  private readonly firstWordProtection: boolean;
  private readonly firstWordMaxCardinality: number;
  private readonly maxWordDifferences: number;
  private readonly minVariants: number;
  private readonly minWordSimilarity: number;
  private readonly protectConstants: boolean;
  private readonly spaceRuns: boolean;
  private readonly maxPatternsPerCluster: number;
  private readonly now: () => number;

  // Per-body scratch (reused; grown on demand).
  private lineVarLike = new Uint8Array(256);
  private firstValuePos = -1;
  // Result scratch of the last compare().
  private lastHard = 0;
  private lastHardPos = -1;
  private siblingScratch: Pattern[] = valueArray(); // (in its final elements kind: see ./array-kinds.ts)
  private siblingPosScratch: number[] = [];
  private lastSoft = 0;

  constructor(options: ClustererOptions = {}) {
    this.maxTokens = Math.max(1, options.maxTokens ?? 1024);
    this.maxTemplateBytes = Math.max(0, options.maxTemplateBytes ?? 4096);
    this.firstWordProtection = options.firstWordProtection ?? true;
    this.firstWordMaxCardinality = Math.max(0, options.firstWordMaxCardinality ?? 100);
    this.maxWordDifferences = Math.max(0, options.maxWordDifferences ?? 0);
    this.minVariants = Math.max(2, options.minVariants ?? 3);
    this.minWordSimilarity = Math.min(1, Math.max(0, options.minWordSimilarity ?? 0.5));
    this.protectConstants = options.protectConstants ?? true;
    this.spaceRuns = options.spaceRunsAsValues ?? true;
    this.maxPatternsPerCluster = Math.max(2, options.maxPatternsPerCluster ?? 32);
    this.now = options.now ?? Date.now;
  }

  /** Number of live patterns. */
  get size(): number {
    return this.patternCount;
  }

  /** Every live pattern (no particular order). */
  *patterns(): IterableIterator<Pattern> {
    for (const c of this.clusters.values()) yield* c.patterns;
  }

  /**
   * Clusters one body (already tokenized into `tokens`). Returns the pattern it now belongs to
   * and what changed, or undefined when the body is not clusterable (empty, too many tokens, or
   * a new template over `maxTemplateBytes`). `nowMs`: the clock reading to use (default: `now()`).
   */
  add(body: string, tokens: TokenList, nowMs: number = this.now()): ClusterResult | undefined {
    const n = tokens.count;
    if (n === 0 || n > this.maxTokens) return undefined;
    const signature = this.prepare(body, tokens);
    let cluster = this.clusters.get(signature);
    if (cluster !== undefined) {
      const list = cluster.patterns;
      // Hot-pattern cache: the most recently used pattern of the cluster usually takes the body
      // as it is; else another one often does (events alternating). Both without classifying.
      for (let k = 0; k < list.length; k++) {
        const p = list[k]!;
        if (this.matchesExactly(p, body, tokens)) {
          if (k > 0) moveToFront(list, k);
          p.hits++;
          p.lastAccessMs = nowMs;
          return { pattern: p, change: 'none', bytesDelta: 0 };
        }
      }
      this.classifyValues(body, tokens);
      let best: Pattern | undefined;
      let bestIndex = -1;
      let bestHard = 0;
      let bestSoft = 0;
      const crowded = list.length >= this.maxPatternsPerCluster;
      const hardLimit = crowded ? Math.max(this.maxWordDifferences, 2) : Math.max(this.maxWordDifferences, 1);
      let closest: Pattern | undefined;
      let closestIndex = -1;
      let closestHard = 0;
      let closestSoft = 0;
      const siblings = this.siblingScratch;
      const siblingPos = this.siblingPosScratch;
      siblings.length = 0;
      siblingPos.length = 0;
      for (let k = 0; k < list.length; k++) {
        const p = list[k]!;
        const score = this.compare(p, body, tokens, cluster, hardLimit);
        if (score === SCORE_CONFLICT) continue;
        if (score === 0) {
          if (k > 0) moveToFront(list, k);
          p.hits++;
          p.lastAccessMs = nowMs;
          return { pattern: p, change: 'none', bytesDelta: 0 };
        }
        const hard = this.lastHard;
        const soft = this.lastSoft;
        if (hard > this.maxWordDifferences) {
          if (hard === 1) {
            siblings.push(p);
            siblingPos.push(this.lastHardPos);
          }
          if (crowded && (closest === undefined || hard < closestHard || (hard === closestHard && soft < closestSoft))) {
            closest = p;
            closestIndex = k;
            closestHard = hard;
            closestSoft = soft;
          }
          continue;
        }
        if (best === undefined || hard < bestHard || (hard === bestHard && soft < bestSoft)) {
          best = p;
          bestIndex = k;
          bestHard = hard;
          bestSoft = soft;
        }
      }
      if (best !== undefined) {
        const before = best.bytes;
        this.widen(best, body, tokens);
        if (bestIndex > 0) moveToFront(list, bestIndex);
        best.hits++;
        best.lastAccessMs = nowMs;
        const absorbed = this.absorbSubsumed(cluster, best, undefined);
        return { pattern: best, change: 'widened', bytesDelta: best.bytes - before, absorbed };
      }
      if (siblings.length + 1 >= this.minVariants) {
        const r = this.consolidate(cluster, siblings, siblingPos, body, tokens, nowMs);
        siblings.length = 0;
        siblingPos.length = 0;
        if (r !== undefined) return r;
      }
      if (closest !== undefined) {
        // Crowded cluster: several plain words vary together (user and host, say). Widen the
        // closest pattern instead of adding yet another near-duplicate.
        const before = closest.bytes;
        this.widen(closest, body, tokens);
        if (closestIndex > 0) moveToFront(list, closestIndex);
        closest.hits++;
        closest.lastAccessMs = nowMs;
        const absorbed = this.absorbSubsumed(cluster, closest, undefined);
        return { pattern: closest, change: 'widened', bytesDelta: closest.bytes - before, absorbed };
      }
    }
    // New pattern.
    if (cluster === undefined) this.classifyValues(body, tokens);
    const kinds = new Uint8Array(n);
    const texts = new Array<string | undefined>(n);
    const varLike = new Uint8Array(n);
    let literalBytes = 0;
    for (let i = 0; i < n; i++) {
      kinds[i] = tokens.kinds[i]!;
      const t = body.slice(tokens.starts[i], tokens.ends[i]);
      texts[i] = t;
      varLike[i] = this.lineVarLike[i]!;
      literalBytes += t.length;
    }
    if (literalBytes > this.maxTemplateBytes || utf8Length(body) > this.maxTemplateBytes) return undefined;
    const pattern = new Pattern(this.nextId++, signature, kinds, texts, varLike, nowMs);
    if (cluster === undefined) {
      cluster = { patterns: [], firstWords: new Set() };
      this.clusters.set(signature, cluster);
    }
    cluster.patterns.unshift(pattern);
    this.patternCount++;
    if (cluster.firstWords !== null && this.firstValuePos >= 0) {
      cluster.firstWords.add(texts[this.firstValuePos]!);
      if (cluster.firstWords.size > this.firstWordMaxCardinality) cluster.firstWords = null;
    }
    return { pattern, change: 'created', bytesDelta: 0 };
  }

  /**
   * True when `pattern` is the first of its cluster: the one {@link add} tries first, so a body
   * it takes exactly would be matched to it (the anchored fast path relies on this).
   */
  isFirstInCluster(pattern: Pattern): boolean {
    const cluster = this.clusters.get(pattern.signature);
    return cluster !== undefined && cluster.patterns[0] === pattern;
  }

  /** Removes a pattern (eviction). Its id is never reused. */
  remove(pattern: Pattern): boolean {
    const cluster = this.clusters.get(pattern.signature);
    if (cluster === undefined) return false;
    const k = cluster.patterns.indexOf(pattern);
    if (k < 0) return false;
    cluster.patterns.splice(k, 1);
    this.patternCount--;
    if (cluster.patterns.length === 0) this.clusters.delete(pattern.signature);
    return true;
  }

  /** Computes the signature, the per-token variable-like flags and the first value position. */
  private prepare(body: string, tokens: TokenList): number {
    const n = tokens.count;
    if (this.lineVarLike.length < n) this.lineVarLike = new Uint8Array(Math.max(n, this.lineVarLike.length * 2));
    const varLike = this.lineVarLike;
    const kinds = tokens.kinds;
    const starts = tokens.starts;
    const ends = tokens.ends;
    let h = Math.imul(SIGNATURE_SEED ^ n, FNV_PRIME);
    let firstValue = -1;
    for (let i = 0; i < n; i++) {
      const kind = kinds[i]!;
      const start = starts[i]!;
      const end = ends[i]!;
      varLike[i] = 0;
      if (kind === K_PUNCT) {
        // A Punct token is a run of one code unit: the unit and the length identify it.
        h = Math.imul(h ^ (CLASS_PUNCT + 1), FNV_PRIME);
        h = Math.imul(h ^ body.charCodeAt(start), FNV_PRIME);
        h = Math.imul(h ^ (end - start), FNV_PRIME);
      } else if (kind === K_WHITESPACE) {
        h = Math.imul(h ^ (CLASS_WS + 1), FNV_PRIME);
        if (this.spaceRuns && isSpaceRun(body, start, end)) {
          // Runs of spaces of any length share the skeleton; differing lengths are soft differences.
          varLike[i] = 2;
        } else {
          for (let k = start; k < end; k++) h = Math.imul(h ^ body.charCodeAt(k), FNV_PRIME);
        }
      } else {
        h = Math.imul(h ^ (CLASS_VALUE + 1), FNV_PRIME);
        if (firstValue < 0) firstValue = i;
      }
    }
    this.firstValuePos = firstValue;
    return h >>> 0;
  }

  /** Fills `lineVarLike` for the value tokens (needed only when the hot pattern did not match). */
  private classifyValues(body: string, tokens: TokenList): void {
    const n = tokens.count;
    const varLike = this.lineVarLike;
    const kinds = tokens.kinds;
    const starts = tokens.starts;
    const ends = tokens.ends;
    for (let i = 0; i < n; i++) {
      const kind = kinds[i]!;
      if (kind === K_PUNCT || kind === K_WHITESPACE) continue;
      const start = starts[i]!;
      const end = ends[i]!;
      varLike[i] =
        isVarLikeToken(kind, body, start, end) ||
        (kind === K_WORD && isCalendarWord(body, start, end)) ||
        (kind === K_WORD &&
          i >= 2 &&
          isNumberKind(kinds[i - 2]!) &&
          ends[i - 1]! - starts[i - 1]! === 1 &&
          body.charCodeAt(starts[i - 1]!) === 0x20 &&
          isUnitWord(body, start, end))
          ? 1
          : 0;
    }
  }

  /** True when `p` takes the body as it is (no widening needed). */
  private matchesExactly(p: Pattern, body: string, tokens: TokenList): boolean {
    const n = tokens.count;
    if (p.texts.length !== n) return false;
    const texts = p.texts;
    const pkinds = p.kinds;
    const kinds = tokens.kinds;
    const starts = tokens.starts;
    const ends = tokens.ends;
    for (let i = 0; i < n; i++) {
      const lit = texts[i];
      if (lit === undefined) {
        // both comparisons every time (see compare)
        const pk = pkinds[i]!;
        const otherKind = pk !== kinds[i];
        const notWord = pk !== K_WORD;
        if (otherKind && notWord) return false;
        continue;
      }
      const start = starts[i]!;
      if (lit.length !== ends[i]! - start || !body.startsWith(lit, start)) return false;
    }
    return true;
  }

  /**
   * 0 = exact match, SCORE_CONFLICT = cannot merge, > 0 = mergeable with
   * `lastHard`/`lastSoft` differences (or a wildcard kind to widen).
   */
  private compare(p: Pattern, body: string, tokens: TokenList, cluster: Cluster, hardLimit: number): number {
    const n = tokens.count;
    if (p.texts.length !== n) return SCORE_CONFLICT;
    const texts = p.texts;
    const pkinds = p.kinds;
    const kinds = tokens.kinds;
    const starts = tokens.starts;
    const ends = tokens.ends;
    let hard = 0;
    let soft = 0;
    let kindWiden = 0;
    let sameWords = 0;
    // read up front, not in the rarely taken branches below (see the note in the loop)
    const firstValuePos = this.firstValuePos;
    const protectFirstWord = this.firstWordProtection && cluster.firstWords !== null;
    const protectConstants = this.protectConstants;
    for (let i = 0; i < n; i++) {
      const lit = texts[i];
      const start = starts[i]!;
      const end = ends[i]!;
      const kind = kinds[i]!;
      if (lit === undefined) {
        // Both comparisons and the add every time: an operation first reached by a new
        // workload has no type feedback and throws the optimized code away (compare,
        // classifyValues and add are inlined into each other).
        const pk = pkinds[i]!;
        const otherKind = pk !== kind;
        const notWord = pk !== K_WORD;
        kindWiden += otherKind && notWord ? 1 : 0;
        continue;
      }
      if (lit.length === end - start && body.startsWith(lit, start)) {
        if (pkinds[i] === K_WORD && p.varLike[i] === 0) sameWords++;
        continue;
      }
      // Texts differ.
      const pk = pkinds[i]!;
      if (this.lineVarLike[i] === 2 && p.varLike[i] === 2) {
        soft++;
        continue;
      }
      if (tokenClass(kind) !== CLASS_VALUE || tokenClass(pk) !== CLASS_VALUE) return SCORE_CONFLICT;
      if (isNameKind(kind) || isNameKind(pk)) return SCORE_CONFLICT;
      if (this.lineVarLike[i] === 1 || p.varLike[i] === 1) {
        soft++;
        continue;
      }
      // Two plain words.
      if (i === firstValuePos && protectFirstWord) return SCORE_CONFLICT;
      if (protectConstants && isConstantLike(body, start, end) && isConstantLike(lit, 0, lit.length)) return SCORE_CONFLICT;
      hard++;
      this.lastHardPos = i;
      if (hard > hardLimit) return SCORE_CONFLICT;
    }
    if (hard > 0 && sameWords < this.minWordSimilarity * (sameWords + hard)) return SCORE_CONFLICT;
    this.lastHard = hard;
    this.lastSoft = soft;
    return hard + soft + kindWiden;
  }

  /**
   * Consolidates the patterns that differ from the body at one plain-word position only, when
   * some position has at least `minVariants` variants (the body counting as one): the oldest is
   * widened by the body and by the others, which are removed.
   */
  private consolidate(
    cluster: Cluster,
    siblings: Pattern[],
    positions: number[],
    body: string,
    tokens: TokenList,
    nowMs: number,
  ): ClusterResult | undefined {
    // The position with the most variants.
    let bestPos = -1;
    let bestCount = 0;
    for (let a = 0; a < positions.length; a++) {
      let c = 0;
      for (let b = 0; b < positions.length; b++) if (positions[b] === positions[a]) c++;
      if (c > bestCount) {
        bestCount = c;
        bestPos = positions[a]!;
      }
    }
    if (bestCount + 1 < this.minVariants) return undefined;
    let survivor: Pattern | undefined;
    for (let a = 0; a < siblings.length; a++) {
      if (positions[a] === bestPos && (survivor === undefined || siblings[a]!.id < survivor.id)) survivor = siblings[a];
    }
    if (survivor === undefined) return undefined;
    const before = survivor.bytes;
    const absorbed: Pattern[] = [];
    for (let a = 0; a < siblings.length; a++) {
      const q = siblings[a]!;
      if (positions[a] !== bestPos || q === survivor) continue;
      widenByPattern(survivor, q);
      survivor.hits += q.hits;
      if (q.lastAccessMs > survivor.lastAccessMs) survivor.lastAccessMs = q.lastAccessMs;
      const k = cluster.patterns.indexOf(q);
      if (k >= 0) cluster.patterns.splice(k, 1);
      this.patternCount--;
      absorbed.push(q);
    }
    this.widen(survivor, body, tokens);
    const k = cluster.patterns.indexOf(survivor);
    if (k > 0) moveToFront(cluster.patterns, k);
    survivor.hits++;
    survivor.lastAccessMs = nowMs;
    this.absorbSubsumed(cluster, survivor, absorbed);
    return { pattern: survivor, change: 'widened', bytesDelta: survivor.bytes - before, absorbed };
  }

  /**
   * After `w` widened, other patterns of its cluster that it now covers entirely would keep
   * taking their bodies (an exact match wins), splitting one event in two: merge them into `w`.
   */
  private absorbSubsumed(cluster: Cluster, w: Pattern, into: Pattern[] | undefined): Pattern[] | undefined {
    let absorbed = into;
    const list = cluster.patterns;
    for (let k = list.length - 1; k >= 0; k--) {
      const q = list[k]!;
      if (q === w || !subsumes(w, q)) continue;
      list.splice(k, 1);
      this.patternCount--;
      w.hits += q.hits;
      if (q.lastAccessMs > w.lastAccessMs) w.lastAccessMs = q.lastAccessMs;
      (absorbed ??= []).push(q);
    }
    return absorbed;
  }

  /** Turns every differing position into a wildcard and widens mismatching wildcard kinds. */
  private widen(p: Pattern, body: string, tokens: TokenList): void {
    const n = tokens.count;
    const texts = p.texts;
    for (let i = 0; i < n; i++) {
      const kind = tokens.kinds[i]!;
      const lit = texts[i];
      if (lit === undefined) {
        if (p.kinds[i] !== kind) p.kinds[i] = K_WORD;
        continue;
      }
      const start = tokens.starts[i]!;
      const end = tokens.ends[i]!;
      if (lit.length === end - start && body.startsWith(lit, start)) continue;
      texts[i] = undefined;
      if (p.kinds[i] !== kind) p.kinds[i] = K_WORD;
    }
    p.widenings++;
    p.rebuild();
  }
}

/** True when every body `q` takes, `w` takes as well (same length, literals equal, kinds compatible). */
function subsumes(w: Pattern, q: Pattern): boolean {
  const n = w.texts.length;
  if (q.texts.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const wt = w.texts[i];
    const qt = q.texts[i];
    if (wt === undefined) {
      if (w.kinds[i] !== K_WORD && w.kinds[i] !== q.kinds[i]) return false;
    } else if (qt !== wt) {
      return false;
    }
  }
  return true;
}

/** Widens `p` so that it also covers everything `q` (same token count) covers. */
function widenByPattern(p: Pattern, q: Pattern): void {
  for (let i = 0; i < p.texts.length; i++) {
    const lit = p.texts[i];
    const other = q.texts[i];
    if (lit !== undefined && other === lit) continue;
    if (lit !== undefined) p.texts[i] = undefined;
    if (p.kinds[i] !== q.kinds[i]) p.kinds[i] = K_WORD;
  }
}

function moveToFront<T>(list: T[], k: number): void {
  const item = list[k]!;
  for (let j = k; j > 0; j--) list[j] = list[j - 1]!;
  list[0] = item;
}
