/**
 * Exponential backoff with jitter and a cap, for stream (re)creation. Same shape as the
 * Collector's configretry: the n-th consecutive failure waits
 * `min(max, initial * multiplier^(n-1))`, randomised by ±`jitter`.
 */

export const INITIAL_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 30_000;
export const BACKOFF_MULTIPLIER = 1.5;
export const BACKOFF_JITTER = 0.5;

export interface BackoffOptions {
  /** First wait, ms. Default 500. */
  initialMillis?: number;
  /** Cap of the un-jittered wait, ms. Default 30 000. */
  maxMillis?: number;
  /** Growth per consecutive failure. Default 1.5, min 1. */
  multiplier?: number;
  /** Randomisation factor in [0, 1]: the wait is drawn from delay * (1 ± jitter). Default 0.5. */
  jitter?: number;
}

export class ExponentialBackoff {
  private readonly _initial: number;
  private readonly _max: number;
  private readonly _multiplier: number;
  private readonly _jitter: number;
  private _failures = 0;

  constructor(o: BackoffOptions = {}, private readonly _random: () => number = Math.random) {
    this._initial = Math.max(0, o.initialMillis ?? INITIAL_BACKOFF_MS);
    this._max = Math.max(this._initial, o.maxMillis ?? MAX_BACKOFF_MS);
    this._multiplier = Math.max(1, o.multiplier ?? BACKOFF_MULTIPLIER);
    this._jitter = Math.min(1, Math.max(0, o.jitter ?? BACKOFF_JITTER));
  }

  /** Consecutive failures since the last reset. */
  get failures(): number {
    return this._failures;
  }

  /** Records a failure and returns how long to wait before the next attempt (ms). */
  next(): number {
    this._failures++;
    const base = Math.min(this._max, this._initial * Math.pow(this._multiplier, this._failures - 1));
    const spread = base * this._jitter;
    return Math.max(0, Math.round(base - spread + this._random() * 2 * spread));
  }

  /** Progress was made (an ack arrived): the next failure starts from the initial wait. */
  reset(): void {
    this._failures = 0;
  }
}
