/**
 * Typed tokenizer for log bodies: a hand-written scanner over UTF-16 code units (no regexes),
 * filling the flat {@link TokenList} of ./token.ts. The Rust twin in native/ must produce
 * IDENTICAL tokens for every string, so the rules below are the specification; keep them and
 * the code in step.
 *
 * Changelog (bump when a rule changes; the native port must follow):
 * - v1 (2026-11-25): initial rules.
 * - v2 (2026-11-25): (a) no Time right after ':' (in `20171223-22:15:35:98` v1 took `15:35:98`
 *   as a Time but split `15:29:606` into Integers, so one format gave two token shapes);
 *   (b) the DateTime zone `+hhmm` (no colon) is now taken as the rules always said (v1 code
 *   only took `+hh:mm`);
 *   wording: URL needs a URL char left after stripping, bracketed IPv6 has no boundary check
 *   after ']' when there is no port, a failed `0x` number fails as a whole.
 *
 * # Rules (v2)
 *
 * Notation: `s` is the body, `n` its length in UTF-16 code units, `s[k]` the code unit at k;
 * reading past the end yields "no char", which matches no class below. All classes are ASCII
 * except that EVERY code unit >= 0x80 (including lone surrogates) is a word char.
 *
 * - ws:        0x20, 0x09..0x0D
 * - digit:     '0'..'9';  hex: digit | 'a'..'f' | 'A'..'F';  alpha: 'a'..'z' | 'A'..'Z'
 * - word char: digit | alpha | '_' | any code unit >= 0x80
 * - connector: '.' | '-' | '/'
 * - boundary(k): true iff k == n, or (s[k] is not a word char AND NOT (s[k] is a connector AND
 *   s[k+1] is a word char)). Structured matchers that end with a boundary check fail as a whole
 *   when it is false (the text then falls through to the next rule).
 *
 * Scanning starts at i = 0 and repeats until i == n; at each i exactly one token is emitted by
 * the first rule that applies, and i moves to its end:
 *
 * 1. ws at i: Whitespace = maximal run of ws.
 * 2. word char at i: the first of these that matches, in order:
 *    a. s[i] hex: UUID = 8,4,4,4,12 hex digits separated by '-', then boundary.
 *    b. s[i] digit: Date/DateTime = 4 digits '-' 2 digits '-' 2 digits; if then 'T' followed by
 *       a time (rule c without its boundary) it is a DateTime, with an optional zone right after:
 *       'Z' | ('+'|'-') 2 digits [':'] 2 digits (the zone is taken only if complete; the digits are
 *       checked one by one, a third digit is left to the boundary check); then
 *       boundary (else the whole match fails). Without 'T'+time: Date, then boundary.
 *    c. s[i] digit and (i == 0 or s[i-1] != ':'): Time = 1-2 digits ':' 2 digits ':' 2 digits,
 *       optional fraction ('.'|',') followed by 1+ digits (taken only if at least one digit
 *       follows), then boundary.
 *    d. s[i] digit: IPv4 = four octets of 1-3 digits, each value <= 255, separated by '.';
 *       then optionally ':' + 1-5 digits (the port is taken only if boundary holds after it);
 *       then boundary.
 *    e. s[i] hex: IPv6, see matchIPv6 below.
 *    f. s[i] digit: number, see rule 4 (without sign).
 *    g. compound: from i, take a maximal run of word chars; while s[j] is a connector and
 *       s[j+1] a word char, take the connector and the next maximal run. Let [i, e) be the
 *       compound. Then, first match wins:
 *       - URL: s[i] alpha, the compound has only alpha/digit/'.'/'-' chars, s[e..e+3] = "://",
 *         and at least one URL char follows: Url = compound + "://" + maximal run of URL chars
 *         (word chars and - . _ ~ : / ? # @ ! $ & * + , ; = %), minus trailing . , ; : ! ?
 *         (repeatedly); if nothing is left after "://", it is not a URL.
 *       - Email: the compound has no '/', s[e] = '@', then a domain: 2+ labels of
 *         alpha/digit/'-' runs joined by '.' (a '.' is taken only if an alpha/digit follows),
 *         then boundary. Email = compound + '@' + domain.
 *       - otherwise a single token [i, e) whose kind is, first match wins:
 *         Path if it contains '/'; Key if s[e] = '='; HttpMethod if exactly one of
 *         GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH (case-sensitive); Severity if
 *         ASCII-case-insensitively one of trace debug info notice warn warning error err fatal
 *         critical crit alert emerg emergency severe panic; Hex if every char is hex and it has
 *         at least one digit and one letter; else Word.
 * 3. '/' at i with s[i+1] a word char, '.' or '~': Path = '/' + maximal run of path chars
 *    (word chars and / . - ~ + %), minus trailing '.'; if only "/" remains, rule 7 applies.
 * 4. ('-' or '+') at i, s[i+1] digit, and (i == 0 or s[i-1] not a word char): signed number.
 *    Number (also rule 2f): optional sign; if "0x"/"0X" followed by a hex digit: Hex = that
 *    plus a maximal hex run, then boundary (if it fails, the whole number fails). Else digits;
 *    then '.' + 1+ digits (only if a digit follows the '.') => Float; then 'e'/'E' + optional
 *    sign + 1+ digits (only if complete) => Float; then boundary. Integer otherwise. An unsigned Integer of exactly 3 digits whose
 *    first digit is '1'..'5' is HttpStatus when the previous token is Whitespace and the token
 *    before it ends with '"'. If the number fails, the sign falls to rule 7.
 * 5. '[' at i: bracketed IPv6 = '[' + IPv6 + ']' + optional (':' + 1-5 digits, taken only if
 *    boundary holds after it); no boundary check after ']' otherwise; the IPv6 inside skips its
 *    own boundary check. Else rule 7.
 * 6. ':' at i with s[i+1] = ':': IPv6 starting with "::". Else rule 7.
 * 7. anything else: Punct = maximal run of the code unit s[i] repeated.
 *
 * matchIPv6 at k: optional leading "::" (sets the double-colon flag). Then repeat: a group of
 * 1-4 hex digits (0 digits: stop; 5+: fail), the char after it must not be a word char unless it
 * is ':' (else fail); count it. After a group: "::" => if the flag is already set, stop before
 * it; else set it, take it, continue. ':' + hex => take ':' and continue. Else stop. Valid iff
 * groups >= 1 and (flag set and groups <= 7, or flag unset and groups == 8); then boundary
 * (except inside brackets). Implementations should fail as soon as a 9th group is counted (same
 * result; without it "a:a:a:…" is rescanned from every token start, quadratic time).
 *
 * Offsets are UTF-16 code units of the JS string; the native side must convert.
 */
import { createTokenList, growTokenList, TokenKind, type TokenList } from './token';

// Kind numbers as plain module constants: the hot path must not go through an object (or an
// ESM live-binding getter when transpiled per module).
const K_WORD = TokenKind.Word;
const K_WHITESPACE = TokenKind.Whitespace;
const K_PUNCT = TokenKind.Punct;
const K_INTEGER = TokenKind.Integer;
const K_FLOAT = TokenKind.Float;
const K_HEX = TokenKind.Hex;
const K_IPV4 = TokenKind.IPv4;
const K_IPV6 = TokenKind.IPv6;
const K_UUID = TokenKind.Uuid;
const K_DATE = TokenKind.Date;
const K_TIME = TokenKind.Time;
const K_DATETIME = TokenKind.DateTime;
const K_PATH = TokenKind.Path;
const K_URL = TokenKind.Url;
const K_EMAIL = TokenKind.Email;
const K_KEY = TokenKind.Key;
const K_HTTPMETHOD = TokenKind.HttpMethod;
const K_HTTPSTATUS = TokenKind.HttpStatus;
const K_SEVERITY = TokenKind.Severity;

/** Version of the rules above (bump on any change). */
export const TOKENIZER_RULES_VERSION = 2;

// --- character classes (code unit -> bool); NaN (past the end) is in no class ---

// ASCII class bits, looked up in one table (a speed detail; the classes are as documented above).
const C_WS = 1;
const C_DIGIT = 2;
const C_ALPHA = 4;
const C_HEX = 8;
const C_WORD = 16;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let bits = 0;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) bits |= C_WS;
  if (c >= 0x30 && c <= 0x39) bits |= C_DIGIT | C_HEX | C_WORD;
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) bits |= C_ALPHA | C_WORD;
  if ((c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)) bits |= C_HEX;
  if (c === 0x5f) bits |= C_WORD;
  ASCII_CLASS[c] = bits;
}

// NaN (past the end) fails `c < 128` and every `>=` test, so it is in no class.
/**
 * `s.charCodeAt(i)`, NaN outside the string (as charCodeAt gives), without reading out of
 * bounds: the rules look past the end freely, and optimized code deoptimizes at every
 * charCodeAt site that once reads past it, recompiling the whole tokenizer each time (13
 * deopts of tokenize() in one bench run). The check is explicit here, so nothing deopts.
 */
function at(s: string, i: number): number {
  return i >= 0 && i < s.length ? s.charCodeAt(i) : NaN;
}

function isWs(c: number): boolean {
  return c < 128 && (ASCII_CLASS[c]! & C_WS) !== 0;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return c < 128 && (ASCII_CLASS[c]! & C_ALPHA) !== 0;
}
function isAlnum(c: number): boolean {
  return c < 128 && (ASCII_CLASS[c]! & (C_ALPHA | C_DIGIT)) !== 0;
}
function isHex(c: number): boolean {
  return c < 128 && (ASCII_CLASS[c]! & C_HEX) !== 0;
}
function isWordChar(c: number): boolean {
  return c >= 0x80 || (c >= 0 && (ASCII_CLASS[c]! & C_WORD) !== 0);
}
function isConnector(c: number): boolean {
  return c === 0x2e || c === 0x2d || c === 0x2f; // . - /
}
function isPathChar(c: number): boolean {
  // word chars and / . - ~ + %
  return isWordChar(c) || c === 0x2f || c === 0x2e || c === 0x2d || c === 0x7e || c === 0x2b || c === 0x25;
}
function isUrlChar(c: number): boolean {
  if (isWordChar(c)) return true;
  switch (c) {
    case 0x2d: // -
    case 0x2e: // .
    case 0x5f: // _
    case 0x7e: // ~
    case 0x3a: // :
    case 0x2f: // /
    case 0x3f: // ?
    case 0x23: // #
    case 0x40: // @
    case 0x21: // !
    case 0x24: // $
    case 0x26: // &
    case 0x2a: // *
    case 0x2b: // +
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3d: // =
    case 0x25: // %
      return true;
    default:
      return false;
  }
}
function isUrlTrailingStrip(c: number): boolean {
  return c === 0x2e || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f; // . , ; : ! ?
}

function boundary(s: string, k: number, n: number): boolean {
  if (k >= n) return true;
  const c = at(s, k);
  if (isWordChar(c)) return false;
  return !(isConnector(c) && isWordChar(at(s, k + 1)));
}

/** Count of consecutive digits from k, at most `max + 1` (so callers can detect "too many"). */
function digitRun(s: string, k: number, max: number): number {
  let j = k;
  while (j - k <= max && isDigit(at(s, j))) j++;
  return j - k;
}

// --- structured matchers: return the end offset, or -1 ---

const UUID_GROUPS = [8, 4, 4, 4, 12] as const;

function matchUuid(s: string, i: number, n: number): number {
  if (at(s, i + 8) !== 0x2d) return -1; // cheap reject
  let j = i;
  for (let g = 0; g < 5; g++) {
    const len = UUID_GROUPS[g]!;
    for (let k = 0; k < len; k++, j++) if (!isHex(at(s, j))) return -1;
    if (g < 4) {
      if (at(s, j) !== 0x2d) return -1;
      j++;
    }
  }
  return boundary(s, j, n) ? j : -1;
}

/** Time without the boundary check (shared by Time and DateTime). */
function matchTimeCore(s: string, i: number): number {
  const h = digitRun(s, i, 2);
  if (h < 1 || h > 2) return -1;
  let j = i + h;
  for (let part = 0; part < 2; part++) {
    if (at(s, j) !== 0x3a) return -1;
    if (digitRun(s, j + 1, 2) !== 2) return -1;
    j += 3;
  }
  const f = at(s, j);
  if ((f === 0x2e || f === 0x2c) && isDigit(at(s, j + 1))) {
    j += 2;
    while (isDigit(at(s, j))) j++;
  }
  return j;
}

function matchTime(s: string, i: number, n: number): number {
  if (at(s, i + 1) !== 0x3a && at(s, i + 2) !== 0x3a) return -1; // cheap reject
  const j = matchTimeCore(s, i);
  return j >= 0 && boundary(s, j, n) ? j : -1;
}

let matchedKind: number = K_WORD;

/** Date or DateTime; sets `matchedKind`. */
function matchDate(s: string, i: number, n: number): number {
  if (at(s, i + 4) !== 0x2d) return -1; // cheap reject
  if (digitRun(s, i, 4) !== 4) return -1;
  let j = i + 4;
  if (at(s, j) !== 0x2d || digitRun(s, j + 1, 2) !== 2) return -1;
  j += 3;
  if (at(s, j) !== 0x2d || digitRun(s, j + 1, 2) !== 2) return -1;
  j += 3;
  if (at(s, j) === 0x54 /* T */) {
    const t = matchTimeCore(s, j + 1);
    if (t >= 0) {
      let k = t;
      const z = at(s, k);
      if (z === 0x5a /* Z */) {
        k++;
      } else if ((z === 0x2b || z === 0x2d) && isDigit(at(s, k + 1)) && isDigit(at(s, k + 2))) {
        let m = k + 3;
        if (at(s, m) === 0x3a) m++;
        if (isDigit(at(s, m)) && isDigit(at(s, m + 1))) k = m + 2;
      }
      if (!boundary(s, k, n)) return -1;
      matchedKind = K_DATETIME;
      return k;
    }
  }
  if (!boundary(s, j, n)) return -1;
  matchedKind = K_DATE;
  return j;
}

function matchIPv4(s: string, i: number, n: number): number {
  if (at(s, i + 1) !== 0x2e && at(s, i + 2) !== 0x2e && at(s, i + 3) !== 0x2e) return -1; // cheap reject
  let j = i;
  for (let octet = 0; octet < 4; octet++) {
    const len = digitRun(s, j, 3);
    if (len < 1 || len > 3) return -1;
    let v = 0;
    for (let k = 0; k < len; k++) v = v * 10 + (at(s, j + k) - 0x30);
    if (v > 255) return -1;
    j += len;
    if (octet < 3) {
      if (at(s, j) !== 0x2e) return -1;
      j++;
    }
  }
  if (at(s, j) === 0x3a) {
    const p = digitRun(s, j + 1, 5);
    if (p >= 1 && p <= 5 && boundary(s, j + 1 + p, n)) return j + 1 + p;
  }
  return boundary(s, j, n) ? j : -1;
}

/** IPv6 per the module comment; `checkBoundary` false inside brackets. */
function matchIPv6(s: string, i: number, n: number, checkBoundary: boolean): number {
  // cheap reject: a ':' must come within the first 5 code units
  if (
    at(s, i) !== 0x3a &&
    at(s, i + 1) !== 0x3a &&
    at(s, i + 2) !== 0x3a &&
    at(s, i + 3) !== 0x3a &&
    at(s, i + 4) !== 0x3a
  ) {
    return -1;
  }
  let j = i;
  let dbl = false;
  let groups = 0;
  if (at(s, j) === 0x3a && at(s, j + 1) === 0x3a) {
    dbl = true;
    j += 2;
  }
  for (;;) {
    let k = j;
    while (k - j <= 4 && isHex(at(s, k))) k++;
    const len = k - j;
    if (len === 0) break;
    if (len > 4) return -1;
    const after = at(s, k);
    if (after !== 0x3a && isWordChar(after)) return -1;
    groups++;
    // More than 8 groups can never be valid: stop now, or "a:a:a:…" would be rescanned from
    // every token start (quadratic time on a hostile body). Same result as scanning on.
    if (groups > 8) return -1;
    j = k;
    if (after !== 0x3a) break;
    if (at(s, j + 1) === 0x3a) {
      if (dbl) break;
      dbl = true;
      j += 2;
      continue;
    }
    if (isHex(at(s, j + 1))) {
      j += 1;
      continue;
    }
    break;
  }
  if (groups < 1) return -1;
  if (!(dbl ? groups <= 7 : groups === 8)) return -1;
  if (checkBoundary && !boundary(s, j, n)) return -1;
  return j;
}

function matchBracketIPv6(s: string, i: number, n: number): number {
  const e = matchIPv6(s, i + 1, n, false);
  if (e < 0 || at(s, e) !== 0x5d /* ] */) return -1;
  const j = e + 1;
  if (at(s, j) === 0x3a) {
    const p = digitRun(s, j + 1, 5);
    if (p >= 1 && p <= 5 && boundary(s, j + 1 + p, n)) return j + 1 + p;
  }
  return j;
}

/** Number (optionally signed at i); sets `matchedKind` to Integer/Float/Hex. */
function matchNumber(s: string, i: number, n: number): number {
  let j = i;
  const c0 = at(s, j);
  // (an add every time, not a j++ only behind a sign: an operation first reached by a new
  // workload has no type feedback and throws the optimized tokenizer away)
  j += c0 === 0x2d || c0 === 0x2b ? 1 : 0;
  if (at(s, j) === 0x30) {
    const x = at(s, j + 1);
    if ((x === 0x78 || x === 0x58) && isHex(at(s, j + 2))) {
      let k = j + 2;
      while (isHex(at(s, k))) k++;
      if (!boundary(s, k, n)) return -1;
      matchedKind = K_HEX;
      return k;
    }
  }
  let k = j;
  while (isDigit(at(s, k))) k++;
  if (k === j) return -1;
  let kind: number = K_INTEGER;
  if (at(s, k) === 0x2e && isDigit(at(s, k + 1))) {
    k += 2;
    while (isDigit(at(s, k))) k++;
    kind = K_FLOAT;
  }
  const e = at(s, k);
  if (e === 0x65 || e === 0x45) {
    let m = k + 1;
    const sg = at(s, m);
    if (sg === 0x2b || sg === 0x2d) m++;
    if (isDigit(at(s, m))) {
      while (isDigit(at(s, m))) m++;
      k = m;
      kind = K_FLOAT;
    }
  }
  if (!boundary(s, k, n)) return -1;
  matchedKind = kind;
  return k;
}

function matchEmailDomain(s: string, j0: number, n: number): number {
  let j = j0;
  let labels = 0;
  for (;;) {
    let k = j;
    while (isAlnum(at(s, k)) || at(s, k) === 0x2d) k++;
    if (k === j) break;
    labels++;
    j = k;
    if (at(s, j) === 0x2e && isAlnum(at(s, j + 1))) {
      j++;
      continue;
    }
    break;
  }
  if (labels < 2 || !boundary(s, j, n)) return -1;
  return j;
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const SEVERITIES: readonly string[] = [
  'trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'err', 'fatal', 'critical',
  'crit', 'alert', 'emerg', 'emergency', 'severe', 'panic',
];

/** Bit (first letter - 'a') set in SEVERITY_FIRST[len] when some severity word has that length and first letter. */
const SEVERITY_FIRST = new Uint32Array(16);
for (const w of SEVERITIES) SEVERITY_FIRST[w.length]! |= 1 << (w.charCodeAt(0) - 0x61);

/** Equality with a list member after ASCII-only lower-casing (non-ASCII never matches). No allocation. */
function isSeverityWord(s: string, i: number, e: number): boolean {
  const len = e - i;
  if (len < 3 || len > 9) return false;
  const first = at(s, i) | 0x20;
  if (first < 0x61 || first > 0x7a || (SEVERITY_FIRST[len]! & (1 << (first - 0x61))) === 0) return false;
  for (let w = 0; w < SEVERITIES.length; w++) {
    const cand = SEVERITIES[w]!;
    if (cand.length !== len || cand.charCodeAt(0) !== first) continue;
    let k = 1;
    for (; k < len; k++) {
      const c = at(s, i + k);
      const lc = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
      if (lc !== cand.charCodeAt(k)) break;
    }
    if (k === len) return true;
  }
  return false;
}

function isHttpMethodWord(s: string, i: number, e: number): boolean {
  const len = e - i;
  if (len < 3 || len > 7) return false;
  for (let k = i; k < e; k++) {
    const c = at(s, k);
    if (!(c >= 0x41 && c <= 0x5a)) return false;
  }
  return HTTP_METHODS.has(s.slice(i, e));
}

function isHexWord(s: string, i: number, e: number): boolean {
  let digit = false;
  let letter = false;
  for (let k = i; k < e; k++) {
    const c = at(s, k);
    if (isDigit(c)) digit = true;
    else if (isHex(c)) letter = true;
    else return false;
  }
  return digit && letter;
}

// Output state of the current tokenize() call. Module-level (JS is single-threaded, tokenize is
// not re-entrant) so that the hot path has no closure allocation or context-slot access.
let outList: TokenList = createTokenList(1);
let outCount = 0;

function push(kind: number, start: number, end: number): void {
  const list = outList;
  if (outCount === list.kinds.length) {
    list.count = outCount;
    growTokenList(list, outCount + 1);
  }
  list.kinds[outCount] = kind;
  list.starts[outCount] = start;
  list.ends[outCount] = end;
  outCount++;
}

/** Number token at i (sign allowed) with the HttpStatus rule; -1 if no number. */
function pushNumber(s: string, i: number, n: number): number {
  const e = matchNumber(s, i, n);
  if (e < 0) return -1;
  let kind = matchedKind;
  if (
    kind === K_INTEGER &&
    e - i === 3 &&
    at(s, i) >= 0x31 &&
    at(s, i) <= 0x35 &&
    outCount >= 2 &&
    outList.kinds[outCount - 1] === K_WHITESPACE &&
    at(s, outList.ends[outCount - 2]! - 1) === 0x22
  ) {
    kind = K_HTTPSTATUS;
  }
  push(kind, i, e);
  return e;
}

/** Tokenizes `text` into `out` (or a new list). See the module comment for the rules. */
export function tokenize(text: string, out?: TokenList): TokenList {
  const list = out ?? createTokenList(64);
  outList = list;
  outCount = 0;
  const s = text;
  const n = s.length;

  let i = 0;
  while (i < n) {
    const c = at(s, i);
    let e: number;

    // 1. whitespace
    if (isWs(c)) {
      e = i + 1;
      while (e < n && isWs(at(s, e))) e++;
      push(K_WHITESPACE, i, e);
      i = e;
      continue;
    }

    // 2. word-char start
    if (isWordChar(c)) {
      const digit = isDigit(c);
      const hex = digit || isHex(c);
      // The cheap pre-checks below repeat each matcher's own first test at the call site, so
      // that the common token pays no call at all (a speed detail: the results are the same).
      if (hex) {
        const c1 = at(s, i + 1);
        const c2 = at(s, i + 2);
        const c3 = at(s, i + 3);
        const c4 = at(s, i + 4);
        if (at(s, i + 8) === 0x2d && (e = matchUuid(s, i, n)) >= 0) {
          push(K_UUID, i, e);
          i = e;
          continue;
        }
        if (digit) {
          if (c4 === 0x2d && (e = matchDate(s, i, n)) >= 0) {
            push(matchedKind, i, e);
            i = e;
            continue;
          }
          if ((c1 === 0x3a || c2 === 0x3a) && (i === 0 || at(s, i - 1) !== 0x3a) && (e = matchTime(s, i, n)) >= 0) {
            push(K_TIME, i, e);
            i = e;
            continue;
          }
          if ((c1 === 0x2e || c2 === 0x2e || c3 === 0x2e) && (e = matchIPv4(s, i, n)) >= 0) {
            push(K_IPV4, i, e);
            i = e;
            continue;
          }
        }
        if ((c1 === 0x3a || c2 === 0x3a || c3 === 0x3a || c4 === 0x3a) && (e = matchIPv6(s, i, n, true)) >= 0) {
          push(K_IPV6, i, e);
          i = e;
          continue;
        }
        if (digit && (e = pushNumber(s, i, n)) >= 0) {
          i = e;
          continue;
        }
      }
      // compound word
      let slash = false;
      e = i;
      for (;;) {
        while (isWordChar(at(s, e))) e++;
        const k = at(s, e);
        if (isConnector(k) && isWordChar(at(s, e + 1))) {
          if (k === 0x2f) slash = true;
          e++;
          continue;
        }
        break;
      }
      const next = at(s, e);
      // URL
      if (next === 0x3a && at(s, e + 1) === 0x2f && at(s, e + 2) === 0x2f && isAlpha(c) && isUrlChar(at(s, e + 3))) {
        let scheme = true;
        for (let k = i; k < e; k++) {
          const ch = at(s, k);
          if (!(isAlnum(ch) || ch === 0x2e || ch === 0x2d)) {
            scheme = false;
            break;
          }
        }
        if (scheme) {
          let u = e + 3;
          while (isUrlChar(at(s, u))) u++;
          while (u > e + 3 && isUrlTrailingStrip(at(s, u - 1))) u--;
          if (u > e + 3) {
            push(K_URL, i, u);
            i = u;
            continue;
          }
        }
      }
      // Email
      if (next === 0x40 && !slash) {
        const d = matchEmailDomain(s, e + 1, n);
        if (d >= 0) {
          push(K_EMAIL, i, d);
          i = d;
          continue;
        }
      }
      let kind: number;
      if (slash) kind = K_PATH;
      else if (next === 0x3d) kind = K_KEY;
      else if (isHttpMethodWord(s, i, e)) kind = K_HTTPMETHOD;
      else if (isSeverityWord(s, i, e)) kind = K_SEVERITY;
      else if (isHexWord(s, i, e)) kind = K_HEX;
      else kind = K_WORD;
      push(kind, i, e);
      i = e;
      continue;
    }

    // 3. absolute path
    if (c === 0x2f) {
      const c1 = at(s, i + 1);
      if (isWordChar(c1) || c1 === 0x2e || c1 === 0x7e) {
        e = i + 1;
        while (isPathChar(at(s, e))) e++;
        while (e > i + 1 && at(s, e - 1) === 0x2e) e--;
        if (e > i + 1) {
          push(K_PATH, i, e);
          i = e;
          continue;
        }
      }
    }
    // 4. signed number
    else if ((c === 0x2d || c === 0x2b) && isDigit(at(s, i + 1)) && (i === 0 || !isWordChar(at(s, i - 1)))) {
      if ((e = pushNumber(s, i, n)) >= 0) {
        i = e;
        continue;
      }
    }
    // 5. bracketed IPv6
    else if (c === 0x5b) {
      if ((e = matchBracketIPv6(s, i, n)) >= 0) {
        push(K_IPV6, i, e);
        i = e;
        continue;
      }
    }
    // 6. IPv6 starting with "::"
    else if (c === 0x3a && at(s, i + 1) === 0x3a) {
      if ((e = matchIPv6(s, i, n, true)) >= 0) {
        push(K_IPV6, i, e);
        i = e;
        continue;
      }
    }

    // 7. punctuation run
    e = i + 1;
    while (e < n && at(s, e) === c) e++;
    push(K_PUNCT, i, e);
    i = e;
  }
  list.count = outCount;
  return list;
}
