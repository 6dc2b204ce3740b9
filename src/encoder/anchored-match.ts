/**
 * Known-template fast path of the pattern store (./pattern-store.ts): matches a body against a
 * learnt template by its literals alone (`startsWith` the first literal, `indexOf` of each next
 * one, `endsWith` the last; the text between literals is a value), without tokenizing the
 * body or clustering it.
 *
 * It must never disagree with the slow path (tokenize + Clusterer.add): it only answers when
 * tokenizing the body would give exactly the template's token sequence — the literal tokens
 * unchanged, and one token of a compatible kind at each wildcard — so that the clusterer would
 * route the body to the template's cluster and take it as an exact match. The caller checks
 * the last condition (the template is the first of its cluster, which the clusterer tries
 * first). The conditions checked here, per wildcard slot:
 *
 * - Templates with two adjacent wildcards (an empty literal between them) are never anchored:
 *   the split is ambiguous.
 * - Whitespace slot (runs of spaces of any length): the value is one or more spaces.
 * - Value slot: the value, tokenized on its own, is exactly one token of a value kind (not
 *   whitespace, not punctuation) whose kind the slot accepts (the same, or a Word slot). The
 *   HttpStatus rule (3-digit integer after `" `) looks at the tokens before, so it is applied
 *   here from the body. The frequent shapes (all word chars, digits, times, IPv4s, absolute
 *   paths, decimals, signed numbers, dates, dashed words; see shapeKind) are recognized in place;
 *   any other value is sliced and tokenized.
 * - The tokens around a value slot are whitespace, or a punctuation run of a character that
 *   cannot join, extend or retype a token across the junction. The tokenizer's rules
 *   (./tokenizer.ts) that reach across a junction are connectors (`.` `-` `/` followed by a
 *   word char), signs (`-` `+` before a digit), `:` (time, port, IPv6, `://`), `@` (e-mail),
 *   `=` (key), `[` (bracketed IPv6), path chars after a path (`~` `%` `+`), a `,` or `.` fraction
 *   after a time, a URL extending through URL characters, a punctuation run continuing. The
 *   characters allowed below are outside all of them, or are checked for the one case that
 *   applies (`[` before a value holding no `:`, `,` before a value not starting with a digit,
 *   `,` after a value that is not a time, a URL followed by a non-URL character).
 *
 * - One `:` junction: `<path>:<port>`, a Path slot, a single `:`, an integer slot (HDFS `src:
 *   /10.250.19.102:54106`, Zookeeper `from /10.10.34.11:53419`). The path value must be an
 *   absolute path (rule 3: path characters exclude `:`, so it ends there), the port all digits
 *   (after `:` rule 2c forbids a Time; its other neighbour is one of the junctions above, which
 *   no IPv6, UUID, Date, IPv4, fraction or exponent continues through). A `:` after a path slot
 *   followed by a literal is fine too: the path ends at the `:` whatever follows.
 * - `:` junctions between words: `<word>:<int>` and `<int>:<word>` (Zookeeper thread names
 *   `[SendWorker:188978561024:QuorumCnxManager$SendWorker@679]`, `(sid:1 cport:-1)`), where
 *   the word literal next to the single `:` is a "colon-safe word" (word chars only, not
 *   starting with a digit, not 1-4 hex digits) and the value is all digits. Why the value is
 *   then one Integer and every other token stays as in the template (rules of ./tokenizer.ts):
 *   rules that scan across a `:` are Time (digits and `:` only: a word not starting with a
 *   digit stops it), IPv6 (hex groups of 1-4: a word that is not 1-4 hex digits fails the group
 *   it starts, so an IPv6 through the word fails as a whole, whichever side the value is on),
 *   IPv4 and bracketed-IPv6 ports (digits after `:`, preceded by an IPv4 or `]`, not a word)
 *   and URLs (`://`; a word before the `:` never is one when a digit follows the `:`; a URL
 *   run before a word literal would have taken the word). The `:` itself is a one-character
 *   Punct (rule 6 needs `::`). The digits after a `:` are no Time (rule 2c), before a `:` no
 *   UUID, Date or IPv4 (they need `-` or `.`), no IPv6 (above); the number ends at the `:`
 *   (a boundary). The word before the `:` keeps its kind (no `://`, `@` or `=` after it) and
 *   nothing after the value looks back at it (a HttpStatus needs whitespace before it). The
 *   other side of the value is one of the junctions above, checked as usual (a HttpStatus
 *   after `" ` is still recognized).
 *
 * Anything else returns undefined and the body takes the slow path, which is always correct.
 */
import type { Pattern } from './pattern';
import { createTokenList, TokenKind, type TokenList } from './token';
import { tokenize } from './tokenizer';

const K_WORD: number = TokenKind.Word;
const K_WHITESPACE: number = TokenKind.Whitespace;
const K_PUNCT: number = TokenKind.Punct;
const K_INTEGER: number = TokenKind.Integer;
const K_FLOAT: number = TokenKind.Float;
const K_DATE: number = TokenKind.Date;
const K_TIME: number = TokenKind.Time;
const K_DATETIME: number = TokenKind.DateTime;
const K_URL: number = TokenKind.Url;
const K_IPV4: number = TokenKind.IPv4;
const K_PATH: number = TokenKind.Path;
const K_HTTPSTATUS: number = TokenKind.HttpStatus;

/** Punctuation that may sit right before a value slot (see the module comment). */
const SAFE_BEFORE = charSet('()[]{}<>"\';|=!?#$&*\\^`,');
/** Punctuation that may sit right after a value slot. */
const SAFE_AFTER = charSet('()[]{}<>"\';|!?#$&*\\^`,');
/** URL characters of the tokenizer (a URL value must not be followed by one). */
const URL_PUNCT = charSet("-._~:/?#@!$&*+,;=%");

function charSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

// Per-slot flags.
const F_WS_SLOT = 1;
/** A `[` right before: the value must hold no `:`. */
const F_PREV_BRACKET = 2;
/** A `,` right before: the value must not start with a digit. */
const F_PREV_COMMA = 4;
/** Whitespace right before, so a 3-digit integer may be an HttpStatus. */
const F_PREV_WS = 8;
/** A `,` right after: the value must not be a time. */
const F_NEXT_COMMA = 16;
/** A URL character right after: the value must not be a URL. */
const F_NEXT_URL_CHAR = 32;
/** A single ':' right after a Path slot: the value must be an absolute path (`/10.0.0.1`:port). */
const F_NEXT_COLON = 64;
/** A single ':' right before, after a Path slot: the value must be an unsigned integer (a port). */
const F_PREV_COLON = 128;
/** A single ':' right before, after a colon-safe word literal: the value must be all digits. */
const F_PREV_WORD_COLON = 256;
/** A single ':' right after, then a colon-safe word literal: the value must be all digits. */
const F_NEXT_COLON_WORD = 512;
/** The flags of the `:` junctions (one test for all of them in valueFits). */
const F_COLON_ANY = F_NEXT_COLON | F_PREV_COLON | F_PREV_WORD_COLON | F_NEXT_COLON_WORD;

/** How to anchor one template; built once per template version (see {@link anchorPlan}). */
export interface AnchorPlan {
  /** The template's `literals` array this plan was built from (replaced when the template changes). */
  readonly literals: string[];
  /** False when the template can never be anchored (then the other fields are empty). */
  readonly usable: boolean;
  /** Per wildcard: kind the slot accepts (Word: any value kind). */
  readonly slotKinds: Uint8Array;
  /** Per wildcard: F_* flags. */
  readonly flags: Uint16Array;
  /** Per wildcard: the punctuation code unit right before it (a value must not start with it), or -1. */
  readonly prevChar: Int32Array;
  /** Per wildcard: length of the whitespace token right before it (for the HttpStatus rule). */
  readonly prevWsLength: Uint32Array;
  /** Index of the longest literal after the first (checked first: most misses fail there), or 0. */
  readonly probe: number;
}

const EMPTY_PLAN_U8 = new Uint8Array(0);
const EMPTY_PLAN_U16 = new Uint16Array(0);

function unusable(literals: string[]): AnchorPlan {
  return { literals, usable: false, slotKinds: EMPTY_PLAN_U8, flags: EMPTY_PLAN_U16, prevChar: new Int32Array(0), prevWsLength: new Uint32Array(0), probe: 0 };
}

/** Builds the anchoring plan of a template (its current version). */
export function anchorPlan(p: Pattern): AnchorPlan {
  const literals = p.literals;
  const positions = p.wildcardPositions;
  const m = positions.length;
  for (let k = 1; k < literals.length - 1; k++) if (literals[k] === '') return unusable(literals);
  const texts = p.texts;
  const kinds = p.kinds;
  const n = texts.length;
  const slotKinds = new Uint8Array(m);
  const flags = new Uint16Array(m);
  const prevChar = new Int32Array(m).fill(-1);
  const prevWsLength = new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    const i = positions[k]!;
    const kind = kinds[i]!;
    slotKinds[k] = kind;
    if (kind === K_WHITESPACE) {
      flags[k] = F_WS_SLOT;
      continue;
    }
    if (kind === K_PUNCT) return unusable(literals);
    let f = 0;
    if (i > 0) {
      const prev = texts[i - 1]!;
      const pk = kinds[i - 1]!;
      if (pk === K_WHITESPACE) {
        f |= F_PREV_WS;
        prevWsLength[k] = prev.length;
      } else if (pk === K_PUNCT && prev === ':' && i > 1 && texts[i - 2] === undefined && kinds[i - 2] === K_PATH) {
        // `<path>:<port>`: see F_PREV_COLON (the path slot before gets F_NEXT_COLON)
        f |= F_PREV_COLON;
        prevChar[k] = 0x3a;
      } else if (pk === K_PUNCT && prev === ':' && (kind === K_INTEGER || kind === K_WORD) && i > 1 && isColonSafeWord(texts[i - 2])) {
        // `<word>:<int>`: see F_PREV_WORD_COLON
        f |= F_PREV_WORD_COLON;
        prevChar[k] = 0x3a;
      } else if (pk === K_PUNCT) {
        const c = prev.charCodeAt(prev.length - 1);
        if (c >= 128 || SAFE_BEFORE[c] !== 1) return unusable(literals);
        // a URL before a stripped trailing character could extend through it
        if (i > 1 && kinds[i - 2] === K_URL) return unusable(literals);
        prevChar[k] = c;
        if (c === 0x5b) f |= F_PREV_BRACKET;
        else if (c === 0x2c) {
          // `…:00,<value>`: whether a time ends at the ',' depends on the value (a fraction is
          // tried when a digit follows; `12:00:00,1e3` is five tokens, `12:00:00,x1` three)
          const lit = literals[k]!;
          const n4 = lit.length - 4;
          if (n4 >= 0 && lit.charCodeAt(n4) === 0x3a && isDigitCode(lit.charCodeAt(n4 + 1)) && isDigitCode(lit.charCodeAt(n4 + 2))) return unusable(literals);
          f |= F_PREV_COMMA;
        }
      } else {
        return unusable(literals);
      }
    }
    if (i + 1 < n) {
      const next = texts[i + 1]!;
      const nk = kinds[i + 1]!;
      if (nk === K_PUNCT && next === ':' && kind === K_PATH) {
        f |= F_NEXT_COLON;
      } else if (nk === K_PUNCT && next === ':' && (kind === K_INTEGER || kind === K_WORD) && i + 2 < n && isColonSafeWord(texts[i + 2])) {
        // `<int>:<word>`: see F_NEXT_COLON_WORD
        f |= F_NEXT_COLON_WORD;
      } else if (nk === K_PUNCT) {
        const c = next.charCodeAt(0);
        if (c >= 128 || SAFE_AFTER[c] !== 1) return unusable(literals);
        if (c === 0x2c) f |= F_NEXT_COMMA;
        if (URL_PUNCT[c] === 1) f |= F_NEXT_URL_CHAR;
      } else if (nk !== K_WHITESPACE) {
        return unusable(literals);
      }
    }
    flags[k] = f;
  }
  let probe = 0;
  for (let k = 1; k < literals.length; k++) if (literals[k]!.length >= 4 && literals[k]!.length > (probe === 0 ? 0 : literals[probe]!.length)) probe = k;
  return { literals, usable: true, slotKinds, flags, prevChar, prevWsLength, probe };
}

let scratch: TokenList = createTokenList(8);

/**
 * The values of `body` under the plan's template (a new array), or undefined when the body does
 * not anchor or the slow path could decide otherwise (see the module comment).
 */
export function anchorValues(plan: AnchorPlan, body: string): string[] | undefined {
  const m = anchorSpans(plan, body);
  if (m < 0) return undefined;
  const { starts, ends } = anchorSplit;
  const values = new Array<string>(m);
  for (let k = 0; k < m; k++) values[k] = body.slice(starts[k]!, ends[k]!);
  return values;
}

/**
 * Where the last successful {@link anchorSpans} call found its values: value k is
 * `body.slice(starts[k], ends[k])`. Scratch: valid until the next call.
 */
export const anchorSplit = {
  // room for 128 values from the start: growing is a path that optimized code compiled
  // before it was first taken has no type feedback for (it would deoptimize anchorSpans)
  starts: new Int32Array(128),
  ends: new Int32Array(128),
};

/**
 * Like {@link anchorValues}, without building the values: their count (their offsets in
 * {@link anchorSplit}), or -1 when the body does not anchor.
 */
export function anchorSpans(plan: AnchorPlan, body: string): number {
  const literals = plan.literals;
  const first = literals[0]!;
  // one-character literals (very common: ' ', '[') without a builtin call
  if (first.length === 1 ? body.charCodeAt(0) !== first.charCodeAt(0) : !body.startsWith(first)) return -1;
  const probe = plan.probe;
  // the probe's first occurrence: found again by the split below unless a value holds it
  const probeAt = probe !== 0 ? body.indexOf(literals[probe]!, first.length) : 0;
  if (probeAt < 0) return -1;
  const m = literals.length - 1;
  let pos = first.length;
  if (m === 0) return pos === body.length ? 0 : -1;
  // Split first (cheap), then check the values: most misses fail the split.
  if (anchorSplit.starts.length < m) {
    anchorSplit.starts = new Int32Array(2 * m);
    anchorSplit.ends = new Int32Array(2 * m);
  }
  const starts = anchorSplit.starts;
  const ends = anchorSplit.ends;
  for (let k = 0; k < m; k++) {
    const lit = literals[k + 1]!;
    let at: number;
    if (k === m - 1) {
      at = body.length - lit.length;
      if (at < pos || (lit.length !== 0 && !body.endsWith(lit))) return -1;
    } else if (k + 1 === probe && probeAt >= pos) {
      at = probeAt; // the first occurrence from first.length on, hence from pos on
    } else if (lit.length === 1) {
      // one-character literals (' ', ']', ':') are most of them: a scan beats a builtin call
      const c = lit.charCodeAt(0);
      const n = body.length;
      at = pos;
      while (at < n && body.charCodeAt(at) !== c) at++;
      if (at === n) return -1;
    } else {
      at = body.indexOf(lit, pos);
      if (at < 0) return -1;
    }
    if (at === pos) return -1; // every token is non-empty
    starts[k] = pos;
    ends[k] = at;
    pos = at + lit.length;
  }
  for (let k = 0; k < m; k++) if (!valueFits(plan, k, body, starts[k]!, ends[k]!)) return -1;
  // (No cache of accepted values: storing fresh strings into the long-lived plan costs more,
  // through the GC write barrier, than checking again.)
  return m;
}

/** True when body[start, end) tokenizes, in place, into one token the slot `k` accepts. */
function valueFits(plan: AnchorPlan, k: number, body: string, start: number, end: number): boolean {
  const f = plan.flags[k]!;
  // The flag tests up front, for every value: an operation first reached by a new workload
  // has no type feedback, and this whole optimized function would be thrown away there.
  const prevComma = (f & F_PREV_COMMA) !== 0;
  const prevBracket = (f & F_PREV_BRACKET) !== 0;
  const nextComma = (f & F_NEXT_COMMA) !== 0;
  if ((f & F_WS_SLOT) !== 0) {
    for (let j = start; j < end; j++) if (body.charCodeAt(j) !== 0x20) return false;
    return true;
  }
  const c0 = body.charCodeAt(start);
  if (c0 === plan.prevChar[k]) return false;
  // `<path>:<port>` (HDFS, Zookeeper addresses): a path ('/' + path chars, no ':') ends at the
  // ':' whatever follows; an unsigned integer right after a ':' is never a Time (rule 2c), and
  // with whitespace or a safe character after it, no IPv6, UUID, Date, IPv4 or fraction either
  // `<word>:<int>`, `<int>:<word>` (Zookeeper thread names): all digits is one Integer there
  // (an HttpStatus by the rule before, when whitespace precedes); see the module comment
  if ((f & F_COLON_ANY) !== 0) {
    if ((f & F_NEXT_COLON) !== 0 && !(c0 === 0x2f && isAbsolutePath(body, start, end))) return false;
    if ((f & (F_PREV_COLON | F_PREV_WORD_COLON | F_NEXT_COLON_WORD)) !== 0) {
      for (let j = start; j < end; j++) if (!isDigitCode(body.charCodeAt(j))) return false;
      if (prevComma) return false;
      const slot = plan.slotKinds[k]!;
      return slot === K_WORD || slot === integerKind(plan, k, body, start, end);
    }
    return true;
  }
  // (the digit test runs for every value, not only after a comma: see above)
  const digit0 = c0 - 0x30 >>> 0 < 10;
  if (prevComma && digit0) return false;
  const slot = plan.slotKinds[k]!;
  // Only word chars (letters, digits, '_', non-ASCII): one compound token, whatever its kind
  // (number, hex, word, severity…), so a Word slot takes it without tokenizing; all digits is
  // an Integer (or an HttpStatus, by the rule on the tokens before).
  let digits = true;
  let j = start;
  for (; j < end; j++) {
    const c = body.charCodeAt(j);
    if (c >= 0x30 && c <= 0x39) continue;
    digits = false;
    if (!isWordCode(c)) break;
  }
  if (j === end) {
    if (slot === K_WORD) return true;
    if (!digits) return checkTokenized(plan, k, body, start, end, slot);
    return slot === integerKind(plan, k, body, start, end);
  }
  if (prevBracket) {
    const colon = body.indexOf(':', start);
    if (colon >= 0 && colon < end) return false;
  }
  // The usual structured values, recognized as the tokenizer would take them alone (no rule
  // before Time or IPv4 matches such text: UUID and Date need a '-').
  if (slot === K_TIME && !nextComma && isTime(body, start, end)) return true;
  if (c0 === 0x2f && (slot === K_PATH || slot === K_WORD) && isAbsolutePath(body, start, end)) return true;
  // Decimals, signed numbers, IPv4s (also under a Word slot), dates and dashed/dotted words
  // (`blk_-123`, host names): the kind the tokenizer gives such text alone, found in place.
  const kind = shapeKind(body, start, end, c0);
  if (kind >= 0) return kindFits(plan, k, body, start, end, slot, kind);
  // whitespace inside: never one value token (`invalid user admin` under a one-word slot)
  for (let w = j; w < end; w++) {
    const c = body.charCodeAt(w);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return false;
  }
  return checkTokenized(plan, k, body, start, end, slot);
}

/**
 * The kind of the one token `s[start, end)` tokenizes into on its own, for a few frequent shapes
 * that reach here (not all word chars; `c0` is `s[start]`), or -1 (then the tokenizer decides).
 * Exported for the tests, which hold it to the tokenizer.
 * Why each shape is one token of that kind, by the rules of ./tokenizer.ts:
 *
 * - `[+-]D+` / `[+-]D+.D+` (D a digit): only rule 4 starts with a sign; the number takes it all
 *   (no `0x`, nothing after: boundary at the end) => Integer / Float.
 * - four octets of 1-3 digits, each <= 255, joined by '.', optional `:` + 1-5 digits: no '-'
 *   (UUID, Date) and no ':' in the first three code units (Time: `s[1]`/`s[2]` are digits or
 *   '.'), so rule 2d takes it all => IPv4.
 * - `D+.D+`: no '-' (UUID, Date) or ':' (Time, IPv6); one '.' is no IPv4 (it needs three); the
 *   number (2f) takes digits, a fraction, nothing after => Float.
 * - `DDDD-DD-DD`: no UUID (`s[8]` is a digit), then rule 2b: no 'T' after, boundary at the end
 *   => Date.
 * - a compound of word chars joined by single '.'/'-' (at least one: the all-word values never
 *   come here), not starting with a digit, no ':' (no IPv6), not 8 hex digits and a '-' (no UUID):
 *   rule 2g takes it all, ends at the end (no URL, e-mail, key); a connector rules out
 *   HttpMethod, Severity and Hex => Word.
 */
export function shapeKind(s: string, start: number, end: number, c0: number): number {
  if (c0 === 0x2d || c0 === 0x2b) return numberKind(s, start + 1, end);
  if (c0 - 0x30 >>> 0 < 10) {
    let j = start + 1;
    while (j < end && isDigitCode(s.charCodeAt(j))) j++;
    if (j === end) return -1;
    const c = s.charCodeAt(j);
    if (c === 0x2e) {
      if (isIPv4(s, start, end)) return K_IPV4;
      return numberKind(s, start, end) === K_FLOAT ? K_FLOAT : -1;
    }
    return c === 0x2d && j === start + 4 && isDate(s, start, end) ? K_DATE : -1;
  }
  return isDashedWord(s, start, end) ? K_WORD : -1;
}

/** `D+` => Integer, `D+.D+` => Float (D a digit), else -1. */
function numberKind(s: string, start: number, end: number): number {
  let j = start;
  while (j < end && isDigitCode(s.charCodeAt(j))) j++;
  if (j === start) return -1;
  if (j === end) return K_INTEGER;
  if (s.charCodeAt(j) !== 0x2e) return -1;
  const f = ++j;
  while (j < end && isDigitCode(s.charCodeAt(j))) j++;
  return j === end && j > f ? K_FLOAT : -1;
}

/** Every code unit of `s[start, end)` is a hex digit. */
function isHexRun(s: string, start: number, end: number): boolean {
  for (let j = start; j < end; j++) {
    const c = s.charCodeAt(j);
    if (!(isDigitCode(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))) return false;
  }
  return true;
}

/** Exactly `DDDD-DD-DD` (D a digit). */
function isDate(s: string, start: number, end: number): boolean {
  if (end - start !== 10 || s.charCodeAt(start + 4) !== 0x2d || s.charCodeAt(start + 7) !== 0x2d) return false;
  for (let j = start; j < end; j++) if (j !== start + 4 && j !== start + 7 && !isDigitCode(s.charCodeAt(j))) return false;
  return true;
}

/**
 * Word chars joined by single '.' or '-' (at least one), not starting with a digit or ending
 * with a connector, and not 8 hex digits then '-' (a UUID could start there).
 */
function isDashedWord(s: string, start: number, end: number): boolean {
  const c0 = s.charCodeAt(start);
  if (!isWordCode(c0) || isDigitCode(c0)) return false;
  if (end - start > 8 && s.charCodeAt(start + 8) === 0x2d && isHexRun(s, start, start + 8)) return false;
  let connectors = 0;
  let prevConnector = false;
  for (let j = start + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (isWordCode(c)) {
      prevConnector = false;
    } else if ((c === 0x2e || c === 0x2d) && !prevConnector) {
      prevConnector = true;
      connectors++;
    } else {
      return false;
    }
  }
  return connectors > 0 && !prevConnector;
}

/**
 * A literal token next to a `:` junction that no rule reaches through (see the module comment):
 * word chars only, not 1-4 hex digits (an IPv6 group: `fe80::ab:12:x` is one IPv6), so an IPv6
 * reaching it fails as a whole, and not starting with a digit (then it is never a number, and no
 * Time or IPv4 starts in it; with the hex rule, a margin rather than a need: `12:34:56`).
 */
function isColonSafeWord(text: string | undefined): boolean {
  if (text === undefined || text.length === 0) return false;
  if (isDigitCode(text.charCodeAt(0))) return false;
  for (let j = 0; j < text.length; j++) if (!isWordCode(text.charCodeAt(j))) return false;
  return text.length > 4 || !isHexRun(text, 0, text.length);
}

/** Exactly one rule-3 path: '/', then path chars (word chars and / . - ~ + %), not ending with '.'. */
function isAbsolutePath(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  const c1 = s.charCodeAt(start + 1);
  if (!(c1 >= 0x80 || (ASCII_PATH[c1]! & PATH_FIRST) !== 0)) return false;
  if (s.charCodeAt(end - 1) === 0x2e) return false;
  for (let j = start + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (!(c >= 0x80 || ASCII_PATH[c] !== 0)) return false;
  }
  return true;
}

/**
 * 1 for the ASCII word characters (letters, digits, '_'). A table, not a chain of
 * comparisons: a comparison first reached by a new workload has no type feedback, and the
 * optimized code it sits in (inlined into valueFits, isAbsolutePath) is thrown away there.
 */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_WORD[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f ? 1 : 0;
}

/** Path characters after the leading '/' (word chars and / . - ~ + %), and which may come first (word chars . ~). */
const PATH_ANY = 1;
const PATH_FIRST = 2;
const ASCII_PATH = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const word = ASCII_WORD[c] === 1;
  ASCII_PATH[c] =
    (word || c === 0x2f || c === 0x2e || c === 0x2d || c === 0x7e || c === 0x2b || c === 0x25 ? PATH_ANY : 0) |
    (word || c === 0x2e || c === 0x7e ? PATH_FIRST : 0);
}

function isWordCode(c: number): boolean {
  return c >= 0x80 || ASCII_WORD[c] === 1;
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Exactly `H:MM:SS` or `HH:MM:SS`, with an optional `.`/`,` fraction of 1+ digits. */
function isTime(s: string, start: number, end: number): boolean {
  let j = start;
  if (!isDigitCode(s.charCodeAt(j))) return false;
  j++;
  if (isDigitCode(s.charCodeAt(j))) j++;
  for (let part = 0; part < 2; part++) {
    if (s.charCodeAt(j) !== 0x3a || !isDigitCode(s.charCodeAt(j + 1)) || !isDigitCode(s.charCodeAt(j + 2))) return false;
    j += 3;
  }
  if (j === end) return true;
  const c = s.charCodeAt(j);
  if ((c !== 0x2e && c !== 0x2c) || j + 1 >= end) return false;
  for (j++; j < end; j++) if (!isDigitCode(s.charCodeAt(j))) return false;
  return true;
}

/** Exactly four octets 0..255 of 1-3 digits joined by '.', with an optional `:port` of 1-5 digits. */
function isIPv4(s: string, start: number, end: number): boolean {
  let j = start;
  for (let octet = 0; octet < 4; octet++) {
    let v = 0;
    const from = j;
    const stop = Math.min(end, from + 4);
    while (j < stop) {
      const d = s.charCodeAt(j) - 0x30;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      j++;
    }
    const len = j - from;
    if (len < 1 || len > 3 || v > 255) return false;
    if (octet < 3) {
      if (s.charCodeAt(j) !== 0x2e) return false;
      j++;
    }
  }
  if (j === end) return true;
  if (s.charCodeAt(j) !== 0x3a) return false;
  const p = end - j - 1;
  if (p < 1 || p > 5) return false;
  for (j++; j < end; j++) if (!isDigitCode(s.charCodeAt(j))) return false;
  return true;
}

/** Kind of an all-digit value in place: Integer, or HttpStatus after `" `. */
function integerKind(plan: AnchorPlan, k: number, body: string, start: number, end: number): number {
  const c0 = body.charCodeAt(start);
  return (plan.flags[k]! & F_PREV_WS) !== 0 &&
    end - start === 3 &&
    c0 >= 0x31 &&
    c0 <= 0x35 &&
    body.charCodeAt(start - plan.prevWsLength[k]! - 1) === 0x22
    ? K_HTTPSTATUS
    : K_INTEGER;
}

function checkTokenized(plan: AnchorPlan, k: number, body: string, start: number, end: number, slot: number): boolean {
  const v = body.slice(start, end);
  const t = (scratch = tokenize(v, scratch));
  if (t.count !== 1) return false;
  const kind: number = t.kinds[0]!;
  if (kind === K_PUNCT || kind === K_WHITESPACE) return false;
  return kindFits(plan, k, body, start, end, slot, kind);
}

/**
 * Whether slot `k` takes the value `body[start, end)`, which tokenizes alone into one token of
 * value kind `kind` (the rules that look at the body around it applied here).
 */
function kindFits(plan: AnchorPlan, k: number, body: string, start: number, end: number, slot: number, tokenKind: number): boolean {
  let kind = tokenKind;
  if (kind === K_INTEGER) kind = integerKind(plan, k, body, start, end);
  const f = plan.flags[k]!;
  if ((f & F_NEXT_COMMA) !== 0 && (kind === K_TIME || kind === K_DATETIME)) return false;
  if ((f & F_NEXT_URL_CHAR) !== 0 && kind === K_URL) return false;
  return slot === kind || slot === K_WORD;
}
