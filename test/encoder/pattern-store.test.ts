import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatternStore, type PatternMatch, type PatternStoreOptions } from '../../src/encoder/pattern-store';
import { TOKEN_KIND_COUNT, type TokenList } from '../../src/encoder/token';
import { tokenize } from '../../src/encoder/tokenizer';

function rebuild(m: PatternMatch): string {
  let s = m.literals[0]!;
  for (let k = 0; k < m.values.length; k++) s += m.values[k]! + m.literals[k + 1]!;
  return s;
}

/** Log-like bodies: templates with typed holes, so that patterns form, widen and get evicted. */
const logLine = fc
  .tuple(
    fc.constantFrom('Invalid user', 'Received block', 'Deleting', 'GET', 'session', 'x', 'Got assigned task', 'ERROR in'),
    fc.constantFrom(' ', '  ', '\t', ': ', '='),
    fc.oneof(fc.integer().map(String), fc.ipV4(), fc.uuid(), fc.constantFrom('admin', 'root', 'blk_-12', '0x1f', '/a/b', 'héllo', '\ud800', '')),
    fc.constantFrom('', ' from ', ' port ', ' [preauth]', ' size '),
    fc.oneof(fc.nat().map(String), fc.constantFrom('ssh2', 'KB', 'x y z', '')),
  )
  .map((parts) => parts.join(''));
const anyBody = fc.oneof(logLine, logLine, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));

/** Runs bodies through a store and checks every contract invariant on the way. */
function checkRun(bodies: string[], options: PatternStoreOptions): void {
  const store = new PatternStore(options);
  const seen = new Set<number>(); // ids ever returned
  const deleted = new Set<number>();
  const live = new Map<number, string>(); // id -> template (literals joined)
  let lastId = 0;
  for (const body of bodies) {
    const m = store.match(body);
    const dels = store.takeDeletes();
    if (m !== undefined) {
      expect(rebuild(m)).toBe(body);
      expect(m.literals.length).toBe(m.values.length + 1);
      expect(m.wildcardKinds.length).toBe(m.values.length);
      for (const k of m.wildcardKinds) expect(k).toBeLessThan(TOKEN_KIND_COUNT);
      expect(m.patternId).toBeGreaterThan(0);
      expect(deleted.has(m.patternId)).toBe(false); // never reused
      expect(dels).not.toContain(m.patternId); // the returned pattern survives its own call
      if (!seen.has(m.patternId)) {
        expect(m.defined).toBe(true); // a new id is always defined first
        expect(m.patternId).toBeGreaterThan(lastId); // ids monotonic
        lastId = m.patternId;
      }
      const template = m.literals.join('\u0000');
      if (live.has(m.patternId) && live.get(m.patternId) !== template) expect(m.defined).toBe(true);
      live.set(m.patternId, template);
      seen.add(m.patternId);
    } else {
      // these bodies are short: only the empty one may go raw
      expect(body).toBe('');
    }
    for (const d of dels) {
      expect(seen.has(d)).toBe(true);
      expect(deleted.has(d)).toBe(false); // each id deleted once
      deleted.add(d);
      live.delete(d);
    }
    expect(store.size).toBe(live.size);
    expect(store.size).toBeLessThanOrEqual(options.maxPatterns ?? 700);
    expect(store.bytes).toBeGreaterThanOrEqual(0);
  }
}

describe('PatternStore: contract', () => {
  it('literals + values rebuild the body exactly, for any string (lone surrogates, control chars)', () => {
    fc.assert(
      fc.property(fc.array(anyBody, { maxLength: 60 }), (bodies) => checkRun(bodies, {})),
      { numRuns: 300 },
    );
  });

  it('keeps every invariant under tiny limits that force constant eviction', () => {
    fc.assert(
      fc.property(fc.array(anyBody, { minLength: 20, maxLength: 120 }), (bodies) =>
        checkRun(bodies, { maxPatterns: 3, maxBytes: 2000, gracePeriodMs: 0 }),
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every invariant with aggressive merging (consolidation, crowded clusters, absorption)', () => {
    const words = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'ERROR', 'GET', 'x=1', '42', '10.0.0.1');
    const wordy = fc.array(words, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(fc.oneof(wordy, wordy, anyBody), { minLength: 10, maxLength: 120 }), (bodies) =>
        checkRun(bodies, {
          maxPatterns: 6,
          gracePeriodMs: 0,
          clustering: { minVariants: 2, maxPatternsPerCluster: 2, firstWordMaxCardinality: 1, maxWordDifferences: 1, protectConstants: false },
        }),
      ),
      { numRuns: 200 },
    );
  });

  it('defined: new -> true, same again -> false, widened -> true with the same id', () => {
    const store = new PatternStore();
    const a = store.match('Got assigned task 1')!;
    const b = store.match('Got assigned task 1')!;
    const c = store.match('Got assigned task 2')!;
    const d = store.match('Got assigned task 3')!;
    expect([a.defined, b.defined, c.defined, d.defined]).toEqual([true, false, true, false]);
    expect(new Set([a.patternId, b.patternId, c.patternId, d.patternId]).size).toBe(1);
    expect(d.literals).toEqual(['Got assigned task ', '']);
    expect(d.values).toEqual(['3']);
    expect(store.size).toBe(1);
  });

  it('merged (absorbed) patterns are reported as deletes', () => {
    const merges: Array<[number, number]> = [];
    const store = new PatternStore({ onMerge: (from, into) => merges.push([from, into]) });
    const a = store.match('Invalid user admin from 1.2.3.4')!;
    const b = store.match('Invalid user oracle from 1.2.3.4')!;
    expect(b.patternId).not.toBe(a.patternId);
    const c = store.match('Invalid user test from 1.2.3.4')!;
    expect(c.patternId).toBe(a.patternId);
    expect(c.defined).toBe(true);
    expect(store.takeDeletes()).toEqual([b.patternId]);
    expect(merges).toEqual([[b.patternId, a.patternId]]);
    expect(store.size).toBe(1);
    expect(store.stats().absorbed).toBe(1);
  });

  it('returns undefined (send raw) for empty, too long, too many tokens and too large templates', () => {
    const store = new PatternStore({ maxBodyLength: 100, maxTokens: 9, maxTemplateBytes: 20 });
    expect(store.match('')).toBeUndefined();
    expect(store.match('x'.repeat(101))).toBeUndefined();
    expect(store.match('a b c d e f')).toBeUndefined(); // 11 tokens
    expect(store.match('a-very-long-literal-word')).toBeUndefined(); // 24 bytes of template
    expect(store.match('short 1')).toBeDefined();
    const s = store.stats();
    expect([s.rawEmpty, s.rawTooLong, s.rawUnclusterable]).toEqual([1, 1, 2]);
  });

  it('a megabyte body goes raw by default without throwing', () => {
    const store = new PatternStore();
    expect(store.match('x '.repeat(500_000))).toBeUndefined();
  });

  it('evicts down to the low watermark, spares new patterns for the grace period (injected clock)', () => {
    let now = 1_000_000;
    const store = new PatternStore({ maxPatterns: 10, highWatermark: 0.9, lowWatermark: 0.5, gracePeriodMs: 30_000, now: () => now });
    for (let k = 0; k < 10; k++) store.match(`event${String.fromCharCode(97 + k)} happened`);
    // 10 > 9 but all in grace and not above the hard limit: nothing evicted
    expect(store.size).toBe(10);
    expect(store.takeDeletes()).toEqual([]);
    now += 31_000;
    // make the first pattern popular
    for (let r = 0; r < 5; r++) store.match('eventa happened');
    const ids = store.takeDeletes();
    expect(store.size).toBe(5);
    expect(ids).toHaveLength(5);
    expect(ids).not.toContain(1); // popular one kept
    expect(store.stats().evicted).toBe(5);
  });

  it('enforces the hard count limit even within the grace period', () => {
    const store = new PatternStore({ maxPatterns: 4, gracePeriodMs: 60_000 });
    for (let k = 0; k < 20; k++) store.match(`w${String.fromCharCode(97 + k)}x happened`);
    expect(store.size).toBeLessThanOrEqual(4);
    expect(store.takeDeletes().length).toBe(20 - store.size);
  });

  it('accepts an injected tokenizer with the same output shape, and rejects bad tokens safely', () => {
    let calls = 0;
    const good = new PatternStore({ tokenizer: (t, out) => (calls++, tokenize(t, out)) });
    expect(good.match('hello 1')!.literals).toEqual(['hello 1']);
    expect(calls).toBe(1);
    const bad = new PatternStore({
      tokenizer: (_t, out?: TokenList) => {
        const l = tokenize('zz', out);
        return l; // covers 2 units, not the body
      },
    });
    expect(bad.match('hello world')).toBeUndefined();
    expect(bad.stats().rawBadTokens).toBe(1);
    const throwing = new PatternStore({
      tokenizer: () => {
        throw new Error('boom');
      },
    });
    expect(throwing.match('hello world')).toBeUndefined();
    expect(throwing.stats().rawBadTokens).toBe(1);
  });
});
