/**
 * Tokenizer throughput on the large Apache corpus file (56,482 lines): lines/s and MB/s of the
 * TypeScript tokenizer and of the whole PatternStore.match (tokenize + cluster + values), next
 * to a plain `split(' ')` baseline. Usage: npx tsx bench/tokenizer.bench.ts [FILE.gz|FILE]
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTokenList } from '../src/encoder/token';
import { tokenize } from '../src/encoder/tokenizer';
import { PatternStore } from '../src/encoder/pattern-store';

const file = process.argv[2] ?? resolve(__dirname, '..', '..', 'shared', 'corpus', 'large', 'Apache.log.gz');
if (!existsSync(file)) {
  console.warn(`tokenizer bench: ${file} not found (corpus absent): skipped`);
  process.exit(0);
}
const raw = readFileSync(file);
const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const chars = lines.reduce((a, l) => a + l.length, 0);

function run(name: string, fn: () => number, rounds = 9): void {
  fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    sink += fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const t = wall[Math.floor(wall.length / 2)]!;
  const tc = cpu[0]!; // best CPU time: least disturbed by other processes on a shared machine
  console.log(
    `${name.padEnd(22)} ${(lines.length / t).toFixed(0).padStart(9)} lines/s wall (median) ${(lines.length / tc).toFixed(0).padStart(9)} lines/s CPU (best of ${rounds}) ${(chars / tc / 1e6).toFixed(1).padStart(6)} Mchar/s  [sink ${sink}]`,
  );
}

console.log(`${lines.length} lines, ${chars} chars from ${file}`);
const out = createTokenList(256);
run('tokenize (reused list)', () => {
  let n = 0;
  for (const l of lines) n += tokenize(l, out).count;
  return n;
});
run('PatternStore.match', () => {
  const store = new PatternStore();
  let n = 0;
  for (const l of lines) n += store.match(l)?.patternId ?? 0;
  return store.size;
});
run('baseline split(" ")', () => {
  let n = 0;
  for (const l of lines) n += l.split(' ').length;
  return n;
});
