/**
 * Typed wildcard values that restore their exact text.
 *
 * A string value is split into a *shape* and its *digit runs*: every run of ASCII digits
 * becomes a number and a marker in the shape, so `081109`, `2015-10-18 18:01:47,978`,
 * `10.251.73.220:50010`, `blk_-6952295868487656571`, `+1`, `1e3`, `-0`, `0x1F` all keep
 * their text byte for byte while the numbers travel as (delta-encoded) varints and the
 * shapes repeat (and go through the dictionary). Markers:
 *
 * - `\u0001`                     a run without leading zeros (rendered as `String(n)`);
 * - `\u0002` + char(0x20 + w)    a run zero-padded to `w` digits (2..15);
 * - `\u0005` + char(0x20 + w)    a lowercase hex piece of exactly `w` digits (1..12), see below;
 * - `\u0003` + c                 a literal marker character (`\u0001` … `\u0005`) in the text.
 *
 * A *hex word* — a maximal run of letters and digits that holds only `0-9a-f`, at least
 * one digit and one letter, and at least HEX_MIN_WORD characters (UUID groups, `ord_4b1241ee88`,
 * trace ids) — becomes hex pieces of at most 12 digits instead of digit runs and letters:
 * its shape is the same for every such id, so the slot's shape repeats and the value costs
 * its numbers only (no new shape string, no dictionary look-up).
 *
 * Runs longer than 15 digits are cut into pieces of at most 15, so every number is an
 * exact integer below 2^53 (an int only travels as an int when it round-trips exactly).
 * Case, signs, exponents, separators and every other character stay in the shape: the
 * "format flags" are the shape itself.
 */

export const MAX_RUN_DIGITS = 15;
/** Strings longer than this are not shaped (they travel as plain AnyValue strings). */
export const MAX_SHAPE_INPUT = 512;

const M_NATURAL = 1;
const M_FIXED = 2;
const M_ESCAPE = 3;
/** First character of a numeric shape (the value is a JS number, its text String(n)). */
const M_NUMBER = 4;
const M_HEX = 5;
export const NUMBER_MARK = '\u0004';
const NATURAL = '\u0001';
const FIXED = '\u0002';
const ESCAPE = '\u0003';
const HEX = '\u0005';
/** Most hex digits per piece: 48 bits, so a piece, its delta and their zigzag stay exact. */
export const MAX_HEX_DIGITS = 12;
/** Fewest characters of a hex word (shorter ones, like `1e3` or `a1`, keep digit runs). */
export const HEX_MIN_WORD = 4;

/** 0-9, A-Z, a-z: the characters of a word. */
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122);
}

/**
 * End of the hex word that starts at `i` (a word start: `s[i-1]` is not a word character),
 * or -1 when the word there is not a hex word.
 */
function hexWordEnd(s: string, i: number, n: number): number {
  let letter = false;
  let digit = false;
  let j = i;
  for (; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) digit = true;
    else if (c >= 97 && c <= 102) letter = true;
    else if (isAlnum(c)) return -1;
    else break;
  }
  return letter && digit && j - i >= HEX_MIN_WORD ? j : -1;
}

/** Value of a lowercase hex digit, or -1. */
export function hexValue(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

/** Number of digit runs the last `shapeInto` call wrote. */
export const shapeRuns = { n: 0 };

/**
 * Computes the shape of `s`, appending its digit runs to `nums`. Returns `s` itself when
 * it holds no digit and no marker character (the common no-allocation case).
 */
export function shapeOf(s: string, nums: number[]): string {
  const shape = shapeInto(s, nums, nums.length);
  return shape;
}

/**
 * Like `shapeOf`, writing the runs at `nums[at…]` (a reused buffer) and their count to
 * `shapeRuns.n`.
 */
export function shapeInto(s: string, nums: number[], at: number): string {
  const n = s.length;
  let out = '';
  let last = 0; // start of the not-yet-copied literal text
  let i = 0;
  let w0 = at;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) && (i === 0 || !isAlnum(s.charCodeAt(i - 1)))) {
      const end = hexWordEnd(s, i, n);
      if (end >= 0) {
        out += s.slice(last, i);
        for (let p = i; p < end; p += MAX_HEX_DIGITS) {
          const e = Math.min(end, p + MAX_HEX_DIGITS);
          let v = 0;
          for (let k = p; k < e; k++) v = v * 16 + hexValue(s.charCodeAt(k));
          nums[w0++] = v;
          out += HEX + String.fromCharCode(0x20 + e - p);
        }
        i = last = end;
        continue;
      }
    }
    if (c >= 48 && c <= 57) {
      const runStart = i;
      while (i < n) {
        const d = s.charCodeAt(i);
        if (d < 48 || d > 57) break;
        i++;
      }
      out += s.slice(last, runStart);
      last = i;
      // cut long runs into <= 15-digit pieces
      for (let p = runStart; p < i; p += MAX_RUN_DIGITS) {
        const e = Math.min(i, p + MAX_RUN_DIGITS);
        let v = 0;
        for (let k = p; k < e; k++) v = v * 10 + (s.charCodeAt(k) - 48);
        nums[w0++] = v;
        const w = e - p;
        if (w > 1 && s.charCodeAt(p) === 48) out += FIXED + String.fromCharCode(0x20 + w);
        else out += NATURAL;
      }
      continue;
    }
    if (c >= M_NATURAL && c <= M_HEX) {
      out += s.slice(last, i) + ESCAPE + s[i];
      last = i + 1;
    }
    i++;
  }
  shapeRuns.n = w0 - at;
  if (last === 0) return s;
  return out + s.slice(last);
}

/** Parsed form of a shape, cached by the decoder (shapes repeat). */
export interface ParsedShape {
  /** Literal texts; parts.length === runs + 1. */
  parts: string[];
  /** Width per run: 0 = natural, w > 0 = zero-padded to w digits, -w = w lowercase hex digits. */
  widths: number[];
  /** The value is a number: the rendered text is String(n) (see `numberShape`). */
  numeric: boolean;
}

/** Parses a shape; returns undefined when it is not a valid shape. */
export function parseShape(shape: string): ParsedShape | undefined {
  const parts: string[] = [];
  const widths: number[] = [];
  let cur = '';
  const numeric = shape.charCodeAt(0) === M_NUMBER;
  let last = numeric ? 1 : 0;
  const n = shape.length;
  for (let i = last; i < n; i++) {
    const c = shape.charCodeAt(i);
    if (c === M_NATURAL) {
      parts.push(cur + shape.slice(last, i));
      cur = '';
      widths.push(0);
      last = i + 1;
    } else if (c === M_FIXED || c === M_HEX) {
      // a marker and its width: zero-padded decimal 2..15, or hex 1..12 (stored negated)
      if (i + 1 >= n) return undefined;
      const w = shape.charCodeAt(i + 1) - 0x20;
      if (c === M_FIXED ? w < 2 || w > MAX_RUN_DIGITS : w < 1 || w > MAX_HEX_DIGITS) return undefined;
      parts.push(cur + shape.slice(last, i));
      cur = '';
      widths.push(c === M_FIXED ? w : -w);
      i++;
      last = i + 1;
    } else if (c === M_ESCAPE) {
      if (i + 1 >= n) return undefined;
      const e = shape.charCodeAt(i + 1);
      if (e < M_NATURAL || e > M_HEX) return undefined;
      cur += shape.slice(last, i) + shape[i + 1];
      i++;
      last = i + 1;
    } else if ((c >= 48 && c <= 57) || c === M_NUMBER) {
      // a digit (or a number mark past the start) would make the text ambiguous: never produced
      return undefined;
    }
  }
  parts.push(cur + shape.slice(last));
  return { parts, widths, numeric };
}

/**
 * Renders a parsed shape with `nums[offset … offset + widths.length)`. Returns undefined
 * when a number cannot be what `shapeOf` produced (negative, fractional, too wide).
 */
export function renderShape(p: ParsedShape, nums: ArrayLike<number>, offset: number): string | undefined {
  const { parts, widths } = p;
  let s = parts[0]!;
  for (let k = 0; k < widths.length; k++) {
    const v = nums[offset + k]!;
    if (!(v >= 0) || !Number.isSafeInteger(v)) return undefined;
    const w = widths[k]!;
    if (w < 0) {
      let t = v.toString(16);
      if (t.length > -w) return undefined;
      if (t.length < -w) t = '0'.repeat(-w - t.length) + t;
      s += t + parts[k + 1]!;
      continue;
    }
    let t = String(v);
    if (w === 0) {
      if (t.length > MAX_RUN_DIGITS) return undefined;
    } else {
      if (t.length > w) return undefined;
      if (t.length < w) t = '0'.repeat(w - t.length) + t;
    }
    s += t + parts[k + 1]!;
  }
  return s;
}

/**
 * True when `other` (a shape of an earlier value) renders the text whose canonical shape
 * is `shape` and digit runs are `nums`: same literals, and every run fits `other`'s
 * marker (a natural run under a natural marker, a run of exactly w digits under a
 * zero-padded width w). Keeping the earlier shape lets "10" follow "09" as a delta.
 */
export function fitsShape(shape: string, nums: readonly number[], other: string): boolean {
  return fitsShapeAt(shape, nums, 0, other);
}

/** `fitsShape` with the runs at `nums[at…]`. */
export function fitsShapeAt(shape: string, nums: readonly number[], at: number, other: string): boolean {
  const n = shape.length;
  const runs = nums.length - at;
  if (other.length < n - runs || other.length > n + runs) return false;
  let i = 0;
  let j = 0;
  let k = at;
  while (i < n && j < other.length) {
    const a = shape.charCodeAt(i);
    const b = other.charCodeAt(j);
    if (a === M_NATURAL || a === M_FIXED) {
      if (b === M_NATURAL) {
        if (a !== M_NATURAL) return false;
        i++;
        j++;
      } else if (b === M_FIXED) {
        const w = other.charCodeAt(j + 1) - 0x20;
        const digits = a === M_FIXED ? shape.charCodeAt(i + 1) - 0x20 : String(nums[k]).length;
        if (digits !== w) return false;
        i += a === M_FIXED ? 2 : 1;
        j += 2;
      } else return false;
      k++;
      continue;
    }
    if (a !== b) return false;
    if (a === M_ESCAPE || a === M_HEX) {
      // an escaped character, or a hex piece (same width: hex pieces are exact)
      if (shape.charCodeAt(i + 1) !== other.charCodeAt(j + 1)) return false;
      if (a === M_HEX) k++;
      i += 2;
      j += 2;
      continue;
    }
    i++;
    j++;
  }
  return i === n && j === other.length;
}

/**
 * Fast path of "shape the text, then check it fits an earlier shape": matches `text` against
 * the earlier shape string as it reads it (markers, escapes, the number mark), writing the runs
 * at `nums[at…]` with nothing built, parsed or cached. A digit run longer than MAX_RUN_DIGITS
 * is cut as `shapeInto` cuts it (15-digit pieces from its start, one marker each with no
 * literal between: `blk_` ids); a hex piece takes exactly its width of lowercase hex digits.
 * Returns the number of runs written, or -1 when the text does not fit (the caller then shapes
 * it) or the shape is not one `parseShape` takes. The caller checks the number mark
 * (`isNumberShape`) against the value's type. It accepts every text whose own shape fits
 * (`shapeOf` + `fitsShape`), and a few more whose own shape differs (digits only under an
 * earlier hex piece): what it accepts renders back exactly under the earlier shape.
 */
export function matchShape(text: string, shape: string, nums: number[], at: number): number {
  const m = shape.length;
  const n = text.length;
  let i = m > 0 && shape.charCodeAt(0) === M_NUMBER ? 1 : 0;
  let pos = 0;
  let k = 0;
  for (;;) {
    // the literal up to the next marker (or the end)
    while (i < m) {
      let c = shape.charCodeAt(i);
      if (c > M_HEX || c === 0) {
        // plain text (a digit would make the shape one parseShape refuses)
        if (c - 48 >>> 0 < 10) return -1;
        i++;
      } else if (c === M_NATURAL || c === M_FIXED) {
        break;
      } else if (c === M_HEX) {
        // a hex piece: exactly w lowercase hex digits
        if (i + 1 >= m) return -1;
        const w = shape.charCodeAt(i + 1) - 0x20;
        if (w < 1 || w > MAX_HEX_DIGITS || pos + w > n) return -1;
        let v = 0;
        for (let j = pos; j < pos + w; j++) {
          const h = hexValue(text.charCodeAt(j));
          if (h < 0) return -1;
          v = v * 16 + h;
        }
        nums[at + k] = v;
        k++;
        pos += w;
        i += 2;
        continue;
      } else if (c === M_ESCAPE) {
        if (i + 1 >= m) return -1;
        c = shape.charCodeAt(i + 1);
        if (c < M_NATURAL || c > M_HEX) return -1;
        i += 2;
      } else return -1; // a number mark past the start
      if (pos >= n || text.charCodeAt(pos) !== c) return -1;
      pos++;
    }
    if (i >= m) break;
    // a marker: the whole digit run, cut into pieces of MAX_RUN_DIGITS, one marker each
    const start = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      pos++;
    }
    if (pos === start) return -1;
    for (let q = start; q < pos; q += MAX_RUN_DIGITS) {
      // a further piece takes the next marker, which must follow with no literal between
      if (q > start && (i >= m || (shape.charCodeAt(i) !== M_NATURAL && shape.charCodeAt(i) !== M_FIXED))) return -1;
      let w = 0;
      if (shape.charCodeAt(i) === M_FIXED) {
        if (i + 1 >= m) return -1;
        w = shape.charCodeAt(i + 1) - 0x20;
        if (w < 2 || w > MAX_RUN_DIGITS) return -1;
        i += 2;
      } else i++;
      const e = Math.min(pos, q + MAX_RUN_DIGITS);
      const len = e - q;
      if (w === 0) {
        if (len > 1 && text.charCodeAt(q) === 48) return -1;
      } else if (len !== w) return -1;
      let v = 0;
      for (let j = q; j < e; j++) v = v * 10 + (text.charCodeAt(j) - 48);
      nums[at + k] = v;
      k++;
    }
  }
  return pos === n ? k : -1;
}

/** True for the shape of a JS number value (it starts with the number mark). */
export function isNumberShape(shape: string): boolean {
  return shape.charCodeAt(0) === M_NUMBER;
}

/**
 * Numbers travel like strings (digit runs, deltas) under a shape that starts with
 * NUMBER_MARK: the rendered text is `String(n)`, which `Number()` reads back exactly for
 * every number but -0 (its text is "0"; -0 travels as an AnyValue instead).
 */
export function canShapeNumber(n: number): boolean {
  return !Object.is(n, -0);
}
