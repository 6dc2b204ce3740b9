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

  it('raises the admission bar while evictions only remove barely used entries, and lowers it again', () => {
    const d = new TagDictionary({ maxEntries: 20, highWatermark: 0.8, lowWatermark: 0.5 });
    expect(d.admitBoost).toBe(1);
    // values seen twice (admitted), never used again: every eviction is a wasted define
    let defines = 0;
    for (let i = 0; i < 400; i++) {
      const key = `user-${i >> 1}`;
      if (d.lookup(key) === 0 && d.shouldAdmit(key, 10)) {
        d.admit(key, 10);
        defines++;
      }
      if (d.overHighWatermark) d.evict();
    }
    expect(d.admitBoost).toBeGreaterThan(1);
    // with the bar raised, a value must be seen more often before it costs a define
    expect(defines).toBeLessThan(200);
    const bar = d.admitBoost * 2;
    for (let k = 1; k < bar; k++) expect(d.shouldAdmit('tenant-7', 10)).toBe(false);
    expect(d.shouldAdmit('tenant-7', 10)).toBe(true);
    // entries that keep being used: evictions are no longer wasted, the bar comes back down
    for (let round = 0; round < 40 && d.admitBoost > 1; round++) {
      for (let i = 0; i < 20; i++) {
        const key = `hot-${round}-${i}`;
        const id = d.admit(key, 10);
        for (let u = 0; u < 5; u++) d.lookup(key);
        expect(id).toBeGreaterThan(0);
        if (d.overHighWatermark) d.evict();
      }
    }
    expect(d.admitBoost).toBe(1);
  });

  it('refuses content that could never fit', () => {
    const d = new TagDictionary({ maxBytes: 1000 });
    expect(d.shouldAdmit('huge', 5000, true)).toBe(false);
  });
});
