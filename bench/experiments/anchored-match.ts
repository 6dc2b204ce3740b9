/**
 * Experiment behind suggestion 1 of bench/RESULTS.md: how much of `PatternStore.match` (tokenize
 * + cluster, ~43 % of our exporter's CPU on template-heavy logs) a known-template fast path
 * could save. After the store has learnt the large Apache file, each line is matched again in
 * two ways:
 *   - `PatternStore.match(line)` (what the encoder does today);
 *   - literal anchoring against a small most-recently-used list of templates
 *     (startsWith / indexOf of each literal in order; the text between literals is the value),
 *     falling back to `match` on a miss.
 * It reports ns per line for both, the MRU hit rate, and how often the anchored values equal
 * `match`'s values exactly (the receiver rebuilds literals + values, so either is lossless).
 *
 * Usage: npx tsx bench/experiments/anchored-match.ts [--mru N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PatternStore } from '../../src/encoder/pattern-store';
import { CORPUS_DIR } from '../lib/workloads';

const file = join(CORPUS_DIR, 'large', 'Apache.log.gz');
if (!existsSync(file)) {
  console.warn(`anchored-match: ${file} not found (corpus absent): skipped`);
  process.exit(0);
}
const mruSize = Number(process.argv[process.argv.indexOf('--mru') + 1]) || 8;
const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l !== '');

/** Values between the literals when `s` is literals[0] + v0 + literals[1] + … exactly; else undefined. */
function anchored(literals: string[], s: string): string[] | undefined {
  const first = literals[0]!;
  if (!s.startsWith(first)) return undefined;
  let pos = first.length;
  const values: string[] = [];
  for (let i = 1; i < literals.length; i++) {
    const lit = literals[i]!;
    const last = i === literals.length - 1;
    // An empty literal between two wildcards is ambiguous: leave such templates to match().
    const at = last ? (s.endsWith(lit) ? s.length - lit.length : -1) : lit === '' ? -1 : s.indexOf(lit, pos);
    if (at < pos) return undefined;
    values.push(s.slice(pos, at));
    pos = at + lit.length;
  }
  return pos === s.length ? values : undefined;
}

const store = new PatternStore();
for (const l of lines) store.match(l); // learn
const ROUNDS = 3;

let sink = 0;
let t0 = process.hrtime.bigint();
for (let r = 0; r < ROUNDS; r++) for (const l of lines) sink += store.match(l)?.values.length ?? 0;
const matchNs = Number(process.hrtime.bigint() - t0) / (ROUNDS * lines.length);

const mru: { id: number; literals: string[] }[] = [];
let hits = 0;
let same = 0;
t0 = process.hrtime.bigint();
for (let r = 0; r < ROUNDS; r++) {
  for (const l of lines) {
    let values: string[] | undefined;
    for (let k = 0; k < mru.length && !values; k++) {
      values = anchored(mru[k]!.literals, l);
      if (values && k > 0) mru.unshift(...mru.splice(k, 1));
    }
    if (values) {
      hits++;
      sink += values.length;
      continue;
    }
    const m = store.match(l);
    if (!m) continue;
    sink += m.values.length;
    const at = mru.findIndex((e) => e.id === m.patternId);
    if (at >= 0) mru.splice(at, 1);
    mru.unshift({ id: m.patternId, literals: m.literals });
    if (mru.length > mruSize) mru.pop();
  }
}
const mruNs = Number(process.hrtime.bigint() - t0) / (ROUNDS * lines.length);

for (const l of lines) {
  const m = store.match(l);
  const v = m && anchored(m.literals, l);
  if (v && v.length === m.values.length && v.every((x, i) => x === m.values[i])) same++;
}

console.log(JSON.stringify({
  lines: lines.length,
  patterns: store.size,
  matchNsPerLine: Math.round(matchNs),
  mruAnchoredNsPerLine: Math.round(mruNs),
  speedup: Number((matchNs / mruNs).toFixed(2)),
  mruSize,
  mruHitRate: Number((hits / (ROUNDS * lines.length)).toFixed(4)),
  anchoredValuesEqualMatch: Number((same / lines.length).toFixed(4)),
  sink,
}, null, 2));
