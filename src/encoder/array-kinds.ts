/**
 * Arrays that start in their final elements kind.
 *
 * V8 keeps an array's elements kind (small integers < doubles < any value; packed < holey)
 * in its hidden class and only ever widens it. An array created empty (`[]`) starts as
 * small integers and changes class the first time a double, a string or an object goes in.
 * Optimized code checks the class it saw: long-lived state of one encoder (value-stream
 * buffers, scratch lists, the pattern store's recent-template list) has long since widened
 * when a new encoder (a new exporter) starts from fresh `[]` arrays, so the functions
 * compiled for the first encoder deoptimize ("wrong map") on the second and are compiled
 * again (10-60 ms of compiler time each). Worse, V8 remembers the widest kind per
 * allocation site (the literal in the source), so whether a fresh `[]` is narrow or already
 * wide depends on what other arrays from the same literal did before.
 *
 * Each helper below is the only allocation site of its kind, and every array it makes keeps
 * that kind for its whole life: callers must fill packed arrays from index 0 up (push or
 * `a[a.length] = v`, never past the end) and store only what the kind allows.
 */

/** A packed array of doubles, `length` zeros (digit runs reach 10^15, past the small-integer range). */
export function doubleArray(length = 0): number[] {
  const a = [0.5];
  a.length = 0;
  while (a.length < length) a.push(0);
  return a;
}

/** A packed array of any values, `length` undefineds (fill from index 0 up). */
export function valueArray<T>(length = 0): T[] {
  const a: (T | undefined)[] = [undefined];
  a.length = 0;
  while (a.length < length) a.push(undefined);
  return a as T[];
}

/** A packed array of small integers, `length` zeros. */
export function smiArray(length = 0): number[] {
  const a = [0];
  a.length = 0;
  while (a.length < length) a.push(0);
  return a;
}

/** An empty array of any values that is holey from the start (for arrays written by index, with gaps). */
export function holeyArray<T>(): T[] {
  // eslint-disable-next-line no-sparse-arrays
  const a: (T | undefined)[] = [undefined, ,];
  a.length = 0;
  return a as T[];
}
