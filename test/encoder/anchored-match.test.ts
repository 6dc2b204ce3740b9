/**
 * The anchored fast path (src/encoder/anchored-match.ts) must give exactly what the slow path
 * (tokenize + cluster) gives: same pattern ids, values, `defined` flags and templates, line by
 * line. Each test runs the same bodies through a store with the fast path and one without.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatternStore } from '../../src/encoder/pattern-store';
import { corpusAvailable, corpusDir, skipReason } from '../helpers/corpus';

function outcome(m: ReturnType<PatternStore['match']>): string {
  return JSON.stringify(m === undefined ? null : [m.patternId, m.values, m.defined, m.literals, m.wildcardKinds]);
}

/** Runs `bodies` through both stores; returns the first differing line (or undefined) and the fast store. */
function compare(bodies: readonly string[], options: { maxPatterns?: number } = {}): { diff: string | undefined; fast: PatternStore } {
  const fast = new PatternStore({ ...options, now: () => 0 });
  const slow = new PatternStore({ ...options, anchoredTemplates: 0, now: () => 0 });
  for (const b of bodies) {
    const a = outcome(fast.match(b));
    const s = outcome(slow.match(b));
    const da = fast.takeDeletes().join(',');
    const ds = slow.takeDeletes().join(',');
    if (a !== s || da !== ds) return { diff: `${JSON.stringify(b)}\n fast ${a} deletes ${da}\n slow ${s} deletes ${ds}`, fast };
  }
  return { diff: undefined, fast };
}

describe('anchored fast path', () => {
  it('takes known templates without changing any result', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push(`[Sun Dec 04 04:${10 + (i % 50)}:44 2005] [notice] jk2_init() Found child ${1000 + i} in scoreboard slot ${i % 9}`);
      lines.push(`"GET /index.html HTTP/1.1" ${i % 2 ? 200 : 404} ${i * 7}`);
      lines.push(`user${i % 5}  logged in from 10.0.${i % 250}.1 port ${2000 + i}`);
    }
    const { diff, fast } = compare(lines);
    expect(diff).toBeUndefined();
    expect(fast.stats().anchored).toBeGreaterThan(lines.length / 2);
  });

  it('anchors again after a long run of bodies that never anchor', () => {
    // values next to ':' never anchor: a long run of them makes the store skip the anchored
    // path for a while; templates that anchor must be found again once they come back
    const lines: string[] = [];
    const known = (i: number) => `user${i % 5} logged in from 10.0.${i % 250}.1 port ${2000 + i}`;
    for (let i = 0; i < 20; i++) lines.push(known(i));
    for (let i = 0; i < 2000; i++) lines.push(`20171223-22:${10 + (i % 40)}:${i % 60}:${100 + i}|Step_LSC|onStandStepChanged ${i}`);
    for (let i = 0; i < 1000; i++) lines.push(known(i));
    const { diff, fast } = compare(lines);
    expect(diff).toBeUndefined();
    expect(fast.stats().anchored).toBeGreaterThan(900);
  });

  it('leaves bodies whose values would tokenize differently to the slow path', () => {
    const lines = [
      'conn from 10.0.0.1 ok', 'conn from 10.0.0.2 ok', 'conn from 10.0.0.3 ok',
      'conn from a b ok', // a value with a space: more tokens
      'conn from 10.0.0.4:80 ok', // IPv4 with port: another kind
      'status "x" 200 done', 'status "x" 201 done', 'status "x" 600 done', // HttpStatus vs Integer
      'v [abc] end', 'v [abd] end', 'v [abe] end', 'v [fe80::1] end', // bracketed IPv6
      't=12:00:00, ok', 't=12:00:01, ok', 't=12:00:02, ok', 't=12:00:02,5 ok',
      // a time split into integers by a failed fraction (`,1e3`) becomes a time again when the
      // value after the ',' does not start with a digit
      '12:00:00,1e3', '12:00:00,2005-06-03', '12:00:00,x1', '12:00:00,y2',
    ];
    expect(compare(lines).diff).toBeUndefined();
  });

  // Junction-heavy templates and values: punctuation next to holes, values that join, split
  // or retype tokens (ports, times, IPv6 groups, URLs, keys, signs, paths, quotes).
  const piece = fc.constantFrom(
    ' ', '  ', ':', '::', ',', '.', '-', '+', '/', '[', ']', '(', ')', '"', '" ', '=', '@', '|', '#', '?', ';', '://', 'T',
    'a', 'x1', 'user', 'GET', 'INFO', 'error', 'ms', 'KB', 'Dec', 'Sun',
    '0', '7', '12', '200', '404', '999', '-5', '1.5', '1e3', '0x1f', 'ab', 'fe80', 'dead',
    '10.0.0.1', '2005-06-03', '12:00:00', '2005-06-03T12:00:00Z', '/var/log', 'http://h/p', 'a@b.com', 'k=v',
  );
  const body = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
  /** A few templates (bodies sharing a skeleton) with varying pieces, interleaved. */
  const family = fc
    .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(5), piece), { minLength: 1, maxLength: 40 }))
    .map(([base, edits]) =>
      edits.map(([at, v]) => {
        const parts = base.slice();
        parts[at % parts.length] = v;
        return parts.join('');
      }),
    );

  it('property: same results as the slow path on junction-heavy bodies', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(family, body.map((b) => [b, b, b])), { minLength: 1, maxLength: 12 }), (groups) => {
        const bodies = groups.flat();
        const { diff } = compare(bodies);
        if (diff !== undefined) throw new Error(diff);
      }),
      { numRuns: 400 },
    );
  });

  // `<path>:<port>` junctions (HDFS, Zookeeper addresses) next to values that could join,
  // split or retype across the ':' (times, IPv4/IPv6, URLs, dots, signs, brackets)
  const addressPiece = fc.constantFrom(
    '/10.250.19.102', '/10.0.0.1', '/var/log', '/a.', '/', '10.0.0.1', 'fe80', 'dead', '::1', 'http', '//h',
    '54106', '50010', '0', '12', '12:00:00', '-5', '1.5', '0x1f', 'ab', 'a1', ':', '::', ' ', '  ', '.', ',', '[', ']',
    ' src: ', ' dest: ', ' of size ', 'T', '-', '+', '"', '=',
  );
  const addressFamily = fc
    .tuple(fc.array(addressPiece, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(7), addressPiece), { minLength: 1, maxLength: 40 }))
    .map(([base, edits]) =>
      edits.map(([at, v]) => {
        const parts = [' src: ', ...base, ':', '54106'];
        parts[1 + (at % base.length)] = v;
        return parts.join('');
      }),
    );

  it('property: same results as the slow path around <path>:<port>', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(addressFamily, family), { minLength: 1, maxLength: 12 }), (groups) => {
        const { diff } = compare(groups.flat());
        if (diff !== undefined) throw new Error(diff);
      }),
      { numRuns: 600 },
    );
  });

  it('anchors <path>:<port> templates', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push(`Receiving block blk_${i} src: /10.250.19.${i % 250}:${50000 + i} dest: /10.250.19.${(i * 7) % 250}:50010`);
      lines.push(`Accepted socket connection from /10.10.34.${i % 40}:${40000 + i}`);
    }
    const { diff, fast } = compare(lines);
    expect(diff).toBeUndefined();
    expect(fast.stats().anchored).toBeGreaterThan(lines.length / 2);
  });

  it('property: same results under constant eviction', () => {
    fc.assert(
      fc.property(fc.array(family, { minLength: 1, maxLength: 12 }), (groups) => {
        const { diff } = compare(groups.flat(), { maxPatterns: 3 });
        if (diff !== undefined) throw new Error(diff);
      }),
      { numRuns: 150 },
    );
  });
});

if (!corpusAvailable) console.warn(skipReason);

describe.skipIf(!corpusAvailable)('anchored fast path on the corpus', () => {
  const loghub = join(corpusDir, 'loghub-2k');
  const files: [string, () => string[]][] = [];
  if (corpusAvailable) {
    for (const sys of readdirSync(loghub)) {
      const f = join(loghub, sys, `${sys}_2k.log`);
      if (existsSync(f)) files.push([sys, () => readFileSync(f, 'utf8').replace(/\r/g, '').split('\n').filter((l) => l !== '')]);
    }
    const large = join(corpusDir, 'large', 'Apache.log.gz');
    if (existsSync(large)) {
      files.push(['Apache-large', () => gunzipSync(readFileSync(large)).toString('utf8').split('\n').filter((l) => l !== '')]);
    }
  }
  it.each(files)('%s: every line gets the slow path result', (name, read) => {
    const lines = read();
    const { diff, fast } = compare(lines);
    expect(diff).toBeUndefined();
    if (name === 'Apache-large') expect(fast.stats().anchored / fast.stats().matched).toBeGreaterThan(0.9);
  });
});
