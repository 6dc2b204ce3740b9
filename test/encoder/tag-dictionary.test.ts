import { describe, expect, it } from 'vitest';
import { TagDictionary } from '../../src/encoder/tag-dictionary';

describe('TagDictionary', () => {
  it('promotes lazily: admitted on the second sighting, short strings at once', () => {
    const d = new TagDictionary();
    expect(d.shouldAdmit('request-id-1234567', 18)).toBe(false);
    expect(d.shouldAdmit('request-id-1234567', 18)).toBe(true);
    expect(d.shouldAdmit('GET', 3, 'GET'.length <= d.admitShortLength)).toBe(true);
    expect(d.shouldAdmit('anything', 8, true)).toBe(true);
  });

  it('keeps the candidate set bounded, so one-off values cannot flood it', () => {
    const d = new TagDictionary({ maxCandidates: 100 });
    for (let i = 0; i < 10_000; i++) expect(d.shouldAdmit(`uuid-${i}`, 40)).toBe(false);
    expect(d.size).toBe(0);
    // a recent candidate is still remembered
    expect(d.shouldAdmit('uuid-9999', 40)).toBe(true);
  });

  it('evicts from the high to the low watermark and never reuses ids', () => {
    const d = new TagDictionary({ maxEntries: 10, highWatermark: 0.8, lowWatermark: 0.5 });
    const ids = new Set<number>();
    for (let i = 0; i < 8; i++) ids.add(d.admit(`k${i}`, 4));
    expect(d.overHighWatermark).toBe(false);
    expect(d.evict()).toEqual([]);
    for (let i = 0; i < 5; i++) d.lookup('k7'); // frequently used: survives
    ids.add(d.admit('k8', 4));
    expect(d.overHighWatermark).toBe(true);
    const deleted = d.evict();
    expect(deleted.length).toBe(4);
    expect(d.size).toBe(5);
    expect(d.lookup('k7')).toBeGreaterThan(0);
    for (const id of deleted) expect(ids.has(id)).toBe(true);
    const evictedKey = [...Array(9).keys()].map((i) => `k${i}`).find((k) => d.lookup(k) === 0)!;
    const again = d.admit(evictedKey, 4);
    expect(ids.has(again)).toBe(false);
  });

  it('evicts by bytes as well as count', () => {
    const d = new TagDictionary({ maxEntries: 1000, maxBytes: 10_000, highWatermark: 0.8, lowWatermark: 0.7 });
    for (let i = 0; i < 5; i++) d.admit(`big${i}`, 2000);
    expect(d.overHighWatermark).toBe(true);
    d.evict();
    expect(d.bytes).toBeLessThanOrEqual(7000);
  });

  it('refuses content that could never fit', () => {
    const d = new TagDictionary({ maxBytes: 1000 });
    expect(d.shouldAdmit('huge', 5000, true)).toBe(false);
  });
});
