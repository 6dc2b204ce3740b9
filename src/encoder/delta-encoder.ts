/**
 * Delta helpers shared by the encoder and the decoder. Times are `[seconds, nanos]`;
 * their nanosecond difference can pass 2^53 (uint64 epoch nanos do not fit a double),
 * so a delta is only used when it is exact: |Δseconds| <= 9e6 keeps |Δns| < 2^53.
 */

/** Largest |Δseconds| sent as a nanosecond delta (9e6 s × 1e9 + 1e9 < 2^53). */
export const MAX_DELTA_SECONDS = 9_000_000;
const NS = 1_000_000_000;

/** True for a time the compact path can carry: safe non-negative seconds, integer nanos < 1e9. */
export function isCanonicalTime(t: unknown): t is [number, number] {
  if (!Array.isArray(t) || t.length !== 2) return false;
  const s = t[0];
  const n = t[1];
  // For x >= 0, 1 / x > 0 is false only for -0 (cheaper than Object.is on the per-record
  // path). Evaluated for every time, not behind x === 0: a division first reached at the
  // first zero (whole-second times of the Loghub files) had no type feedback and threw away
  // the optimized encoder code it was inlined into.
  return (
    typeof s === 'number' && typeof n === 'number' &&
    Number.isSafeInteger(s) && s >= 0 && Number.isInteger(n) && n >= 0 && n < NS && 1 / n > 0 && 1 / s > 0
  );
}

/** Nanosecond delta from (ps, pn) to (s, n), or undefined when it would not be exact. */
export function timeDelta(s: number, n: number, ps: number, pn: number): number | undefined {
  const ds = s - ps;
  if (ds > MAX_DELTA_SECONDS || ds < -MAX_DELTA_SECONDS) return undefined;
  return ds * NS + (n - pn);
}

/** Applies a nanosecond delta to (ps, pn); returns the normalised [s, n]. */
export function applyTimeDelta(ps: number, pn: number, d: number): [number, number] {
  const t = pn + d;
  let q = Math.floor(t / NS);
  let r = t - q * NS;
  // float division can land one off at the boundary: fix up exactly
  if (r < 0) {
    q -= 1;
    r += NS;
  } else if (r >= NS) {
    q += 1;
    r -= NS;
  }
  return [ps + q, r];
}

/** Pattern id delta code: 0 = no pattern, else zigzag(id - prev) + 1. */
export function patternCode(id: number, prev: number): number {
  const d = id - prev;
  return (d >= 0 ? d * 2 : -d * 2 - 1) + 1;
}

export function patternFromCode(code: number, prev: number): number {
  const z = code - 1;
  const d = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  return prev + d;
}

/**
 * A string standing for a list of keys (attribute or JSON key lists): equal lists give
 * equal strings and different lists different ones — the encoder's "same key list as
 * before" and its dictionary keys rely on it, and the decoder names its delta slots by it.
 * Plain `\u0000`-joined when no key holds `\u0000`/`\u0001` (then it is injective), else
 * an escaped form that starts with `\u0001` (which no plain form can).
 */
export function listKey(keys: readonly string[]): string {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k.indexOf('\u0000') >= 0 || k.indexOf('\u0001') >= 0) return '\u0001' + JSON.stringify(keys);
  }
  return keys.length === 1 ? keys[0]! : keys.join('\u0000');
}
