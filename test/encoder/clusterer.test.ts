import { describe, expect, it } from 'vitest';
import { Clusterer, type ClustererOptions, type ClusterResult } from '../../src/encoder/clusterer';
import { TokenKind } from '../../src/encoder/token';
import { tokenize } from '../../src/encoder/tokenizer';

function feed(lines: string[], options?: ClustererOptions): { c: Clusterer; results: ClusterResult[] } {
  const c = new Clusterer(options);
  const results = lines.map((l) => {
    const r = c.add(l, tokenize(l));
    if (r === undefined) throw new Error(`unclustered: ${l}`);
    return r;
  });
  return { c, results };
}

/** Each line -> [id, change, template at that moment]. */
function trace(lines: string[], options?: ClustererOptions): Array<[number, string, string]> {
  const c = new Clusterer(options);
  return lines.map((l) => {
    const r = c.add(l, tokenize(l))!;
    return [r.pattern.id, r.change, r.pattern.template()];
  });
}

describe('Clusterer: typed merge rules', () => {
  it('numbers and other structured values become typed wildcards; the widened pattern keeps its id', () => {
    expect(
      trace(['Got assigned task 1302', 'Got assigned task 7', 'Got assigned task 7', 'Connecting to 10.0.0.1:8080', 'Connecting to 10.0.0.2:9090']),
    ).toEqual([
      [1, 'created', 'Got assigned task 1302'],
      [1, 'widened', 'Got assigned task <*>'], // Integer vs Integer -> wildcard
      [1, 'none', 'Got assigned task <*>'], // exact match: nothing to (re)define
      [2, 'created', 'Connecting to 10.0.0.1:8080'],
      [2, 'widened', 'Connecting to <*>'],
    ]);
    const { results } = feed(['took 5 ms', 'took 12 ms']);
    expect(results[1]!.pattern.wildcardKinds).toEqual([TokenKind.Integer]);
  });

  it('a wildcard that sees another kind widens to Word (generic) and reports the change', () => {
    const { results } = feed(['id 12 ok', 'id 13 ok', 'id 0x1f ok', 'id 0x2f ok']);
    expect(results.map((r) => r.change)).toEqual(['created', 'widened', 'widened', 'none']);
    expect(results[3]!.pattern.wildcardKinds).toEqual([TokenKind.Word]);
    expect(new Set(results.map((r) => r.pattern.id)).size).toBe(1);
  });

  it('words with digits are values, plain words are not', () => {
    expect(trace(['open blk_123 now', 'open blk_456 now']).map((t) => t[0])).toEqual([1, 1]);
    expect(trace(['open file now', 'open dir now']).map((t) => t[0])).toEqual([1, 2]); // two plain alternatives stay apart
    // once a slot is a wildcard it takes any token of that position
    expect(trace(['open blk_123 now', 'open blk_456 now', 'open file now']).map((t) => t[1])).toEqual(['created', 'widened', 'none']);
  });

  it('first-word protection: differing first words never merge', () => {
    const ids = trace(['Starting service alpha', 'Stopping service alpha', 'Restarting service alpha', 'Pausing service alpha']).map((t) => t[0]);
    expect(new Set(ids).size).toBe(4);
  });

  it('first-word protection has a cardinality escape', () => {
    // 4 distinct first words > limit 3: protection is off for that cluster from then on
    const lines = ['aa x 1', 'bb x 1', 'cc x 1', 'dd x 1', 'ee x 1'];
    const withEscape = trace(lines, { firstWordMaxCardinality: 3 });
    expect(withEscape[4]![0]).toBeLessThan(5); // merged into an earlier pattern
    const without = trace(lines);
    expect(new Set(without.map((t) => t[0])).size).toBe(5);
  });

  it('a plain word becomes a wildcard once minVariants patterns differ only there; the others are absorbed', () => {
    const c = new Clusterer();
    const lines = ['Invalid user admin from 1.2.3.4', 'Invalid user oracle from 1.2.3.5', 'Invalid user test from 1.2.3.6', 'Invalid user guest from 1.2.3.7'];
    const rs = lines.map((l) => c.add(l, tokenize(l))!);
    expect(rs[0]!.change).toBe('created');
    expect(rs[1]!.change).toBe('created'); // two alternatives: kept apart
    expect(rs[2]!.change).toBe('widened'); // third variant: consolidated into the oldest
    expect(rs[2]!.pattern.id).toBe(rs[0]!.pattern.id);
    expect(rs[2]!.absorbed?.map((p) => p.id)).toEqual([rs[1]!.pattern.id]);
    expect(rs[2]!.pattern.template()).toBe('Invalid user <*> from <*>');
    expect(rs[3]!.change).toBe('none');
    expect(c.size).toBe(1);
  });

  it('a pattern that a widened one now covers is absorbed (no split event, order-independent)', () => {
    const c = new Clusterer();
    const a = c.add('for user support from 1.1.1.1', tokenize('for user support from 1.1.1.1'))!;
    const b = c.add('for user admin from 2.2.2.2', tokenize('for user admin from 2.2.2.2'))!; // 1 plain-word diff: apart
    expect(b.pattern.id).not.toBe(a.pattern.id);
    const w = c.add('for user 123 from 3.3.3.3', tokenize('for user 123 from 3.3.3.3'))!; // soft: widens b
    expect(w.pattern.id).toBe(b.pattern.id);
    expect(w.pattern.template()).toBe('for user <*> from <*>');
    expect(w.absorbed?.map((p) => p.id)).toEqual([a.pattern.id]); // 'support' is covered now
    expect(c.add('for user support from 1.1.1.1', tokenize('for user support from 1.1.1.1'))!.pattern.id).toBe(b.pattern.id);
    expect(c.size).toBe(1);
  });

  it('a crowded cluster widens the closest pattern when two plain words vary together', () => {
    const lines = ['login alice at wonderland', 'login bob at builder', 'login carol at xyz', 'login dave at abc', 'login erin at foo'];
    const crowded = trace(lines, { maxPatternsPerCluster: 4 });
    expect(crowded.slice(0, 4).map((t) => t[1])).toEqual(['created', 'created', 'created', 'created']); // 2 plain diffs: apart
    expect(crowded[4]![1]).toBe('widened');
    expect(crowded[4]![2]).toBe('login <*> at <*>');
    const c = new Clusterer({ maxPatternsPerCluster: 4 });
    for (const l of lines) c.add(l, tokenize(l));
    expect(c.size).toBe(1); // the near-duplicates were absorbed by the widened one
    expect(new Set(trace(lines).map((t) => t[0])).size).toBe(5); // default limit (32) not reached
  });

  it('two plain alternatives (view/modify) stay separate patterns', () => {
    const ids = trace(['Changing view acls to: yarn', 'Changing modify acls to: yarn', 'Changing view acls to: yarn']).map((t) => t[0]);
    expect(ids).toEqual([1, 2, 1]);
  });

  it('ALL_CAPS constants never become wildcards', () => {
    const ids = trace([
      'Transitioned from NEW to INITED',
      'Transitioned from INITED to INITED',
      'Transitioned from SETUP to INITED',
      'Transitioned from RUNNING to INITED',
    ]).map((t) => t[0]);
    expect(new Set(ids).size).toBe(4);
  });

  it('keys (of key=value), severities and HTTP methods are names, never wildcards', () => {
    expect(new Set(trace(['set uid=0 now', 'set gid=0 now', 'set pid=0 now', 'set tid=0 now']).map((t) => t[0])).size).toBe(4);
    expect(new Set(trace(['[x] ERROR in a', '[x] WARN in a', '[x] INFO in a']).map((t) => t[0])).size).toBe(3);
    expect(new Set(trace(['req GET /a', 'req PUT /a', 'req POST /a']).map((t) => t[0])).size).toBe(3);
  });

  it('whitespace: tabs/newlines must match exactly, runs of spaces may differ', () => {
    expect(new Set(trace(['a\tb 1', 'a b 2']).map((t) => t[0])).size).toBe(2);
    const spaces = trace(['user  x from 1', 'user y1 from 2']);
    expect(spaces[1]![0]).toBe(spaces[0]![0]);
    expect(new Set(trace(['user  x from 1', 'user y1 from 2'], { spaceRunsAsValues: false }).map((t) => t[0])).size).toBe(2);
  });

  it('different token counts or punctuation never share a pattern', () => {
    expect(new Set(trace(['a b 1', 'a b 1 2', 'a, b 1', 'a: b 1']).map((t) => t[0])).size).toBe(4);
  });

  it('units right after a number and day/month names are values', () => {
    expect(trace(['size 263.0 B free', 'size 4.0 KB free'])[1]![2]).toBe('size <*> <*> free');
    expect(trace(['at Sun Dec 04 ok', 'at Mon Jan 05 ok'])[1]![2]).toBe('at <*> <*> <*> ok');
  });

  it('ids are monotonic and never reused, also after remove()', () => {
    const c = new Clusterer();
    const a = c.add('alpha 1', tokenize('alpha 1'))!.pattern;
    const b = c.add('beta x', tokenize('beta x'))!.pattern;
    expect(c.remove(a)).toBe(true);
    expect(c.remove(a)).toBe(false);
    const a2 = c.add('alpha 1', tokenize('alpha 1'))!.pattern;
    expect([a.id, b.id, a2.id]).toEqual([1, 2, 3]);
    expect(c.size).toBe(2);
  });

  it('refuses empty bodies, too many tokens and too large templates', () => {
    const c = new Clusterer({ maxTokens: 5, maxTemplateBytes: 10 });
    expect(c.add('', tokenize(''))).toBeUndefined();
    expect(c.add('a b c d', tokenize('a b c d'))).toBeUndefined(); // 7 tokens
    expect(c.add('abcdefghijk', tokenize('abcdefghijk'))).toBeUndefined(); // 11 bytes
    expect(c.add('abc', tokenize('abc'))?.change).toBe('created');
  });

  it('the hot-pattern cache does not change results: MRU order only', () => {
    const lines = ['x 1', 'y 1', 'x 2', 'y 2', 'x 3', 'y 3'];
    expect(trace(lines).map((t) => t[0])).toEqual([1, 2, 1, 2, 1, 2]);
  });
});
