import { describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../src/transport/backoff';

describe('ExponentialBackoff', () => {
  it('grows by the multiplier up to the cap, with jitter inside ±jitter', () => {
    const mid = new ExponentialBackoff({ initialMillis: 100, maxMillis: 1000, multiplier: 2, jitter: 0.5 }, () => 0.5);
    expect([1, 2, 3, 4, 5, 6].map(() => mid.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    const low = new ExponentialBackoff({ initialMillis: 100, maxMillis: 1000, multiplier: 2, jitter: 0.5 }, () => 0);
    expect(low.next()).toBe(50);
    const high = new ExponentialBackoff({ initialMillis: 100, maxMillis: 1000, multiplier: 2, jitter: 0.5 }, () => 0.999999);
    expect(high.next()).toBe(150);
  });

  it('starts over after reset and counts failures', () => {
    const b = new ExponentialBackoff({ initialMillis: 10, multiplier: 3, jitter: 0 });
    b.next();
    b.next();
    expect(b.failures).toBe(2);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(10);
  });

  it('treats 0 as a real value, not as unset', () => {
    const b = new ExponentialBackoff({ initialMillis: 0, jitter: 0 });
    expect(b.next()).toBe(0);
  });
});
