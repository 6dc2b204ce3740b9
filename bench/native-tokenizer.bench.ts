/**
 * Native (Rust, native/) vs TypeScript tokenizer, in one run:
 *   1. tokenizer-only throughput on the large Apache file and each of the 8 Loghub-2k files
 *      (native = one addon call per batch of lines + copying each body's tokens out, i.e. what
 *      the PatternStore gets; js = `tokenize(line, reusedList)`);
 *   2. the batch-size curve 1..4096 on the large file, and the crossover batch size;
 *   3. the input designs (one joined string / array of strings / UTF-16 buffer);
 *   4. the whole encoder (PatternStore + StatefulEncoder, batches of records) with either.
 * Timings are the fastest of interleaved rounds, in process CPU time by default (see `clock`;
 * the load average is printed first: above the core count, trust ratios more than absolutes).
 *
 * Usage: npx tsx bench/native-tokenizer.bench.ts [--quick] [--wall]   (npm run bench:native-tokenizer)
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

import type { LogRecordData } from '../src/encoder/log-record';
import {
  loadNativeTokenizer,
  NativeScratch,
  nativeTokenizeBatch,
  readTokenizeResult,
  type NativeBinding,
} from '../src/encoder/native-tokenizer';
import { StatefulEncoder } from '../src/encoder/stateful-encoder';
import { createTokenList } from '../src/encoder/token';
import { tokenize } from '../src/encoder/tokenizer';
import { DEFAULT_MIN_NATIVE_BATCH, type TokenizerChoice } from '../src/encoder/tokenizer-select';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const corpus = resolve(__dirname, '..', '..', 'shared', 'corpus');
const SYSTEMS = ['HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'BGL', 'OpenSSH', 'Apache', 'HealthApp'];

const loaded = loadNativeTokenizer();
if (!loaded.ok) {
  console.warn(`native-tokenizer bench: ${loaded.error.message}; nothing to compare (build it with npm run build:native)`);
  process.exit(0);
}
const native: NativeBinding = loaded.binding;
const largeFile = resolve(corpus, 'large', 'Apache.log.gz');
if (!existsSync(largeFile)) {
  console.warn(`native-tokenizer bench: ${largeFile} not found (corpus absent): skipped`);
  process.exit(0);
}

function readLines(file: string): string[] {
  const raw = readFileSync(file);
  const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const inputs: { name: string; lines: string[] }[] = [{ name: 'Apache.log (large)', lines: readLines(largeFile) }];
for (const s of SYSTEMS) inputs.push({ name: `${s}_2k`, lines: readLines(resolve(corpus, 'loghub-2k', s, `${s}_2k.log`)) });

const out = createTokenList(256);
let sink = 0;

function jsPass(lines: readonly string[]): void {
  for (let i = 0; i < lines.length; i++) sink += tokenize(lines[i]!, out).count;
}

const ends = new Uint32Array(65536);
const scratch = new NativeScratch();
function nativePass(lines: readonly string[], batch: number): void {
  for (let i = 0; i < lines.length; i += batch) {
    const chunk = lines.slice(i, i + batch);
    const res = nativeTokenizeBatch(native, chunk, undefined, scratch);
    for (let k = 0; k < chunk.length; k++) sink += res.fill(k, out).count;
  }
}

/**
 * Clock of the measurements: `cpu` (default) = this process's user+system CPU time, which a
 * busy shared machine disturbs far less than wall time; `wall` with `--wall`.
 */
const clock: 'cpu' | 'wall' = process.argv.includes('--wall') ? 'wall' : 'cpu';

function now(): number {
  if (clock === 'wall') return Number(process.hrtime.bigint()) / 1e9;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Fastest seconds of `rounds` runs of each function, interleaved so drift hits all alike. */
function timeAll(fns: (() => void)[], rounds = ROUNDS): number[] {
  for (const f of fns) f(); // warm-up
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, k) => {
      const t0 = now();
      f();
      times[k]!.push(now() - t0);
    });
  }
  return times.map((t) => Math.min(...t));
}

const fmt = (n: number, w = 10) => n.toFixed(0).padStart(w);
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

console.log(
  `native addon: ${loaded.path}; node ${process.version}; best of ${ROUNDS} rounds of ${clock} time; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`,
);

// 1. tokenizer-only throughput
const BATCH = 1024;
console.log(`\n## 1. Tokenizer only (native: batches of ${BATCH} lines, tokens copied out per line)`);
console.log(`${'input'.padEnd(20)} ${'lines'.padStart(7)} ${'MB'.padStart(6)} ${'js lines/s'.padStart(12)} ${'native lines/s'.padStart(15)} ${'js MB/s'.padStart(8)} ${'nat MB/s'.padStart(9)}  speedup`);
let totJs = 0;
let totNat = 0;
for (const { name, lines } of inputs) {
  const mb = lines.reduce((a, l) => a + Buffer.byteLength(l), 0) / 1e6;
  const [tj, tn] = timeAll([() => jsPass(lines), () => nativePass(lines, BATCH)]);
  totJs += tj!;
  totNat += tn!;
  console.log(
    `${name.padEnd(20)} ${String(lines.length).padStart(7)} ${mb.toFixed(2).padStart(6)} ${fmt(lines.length / tj!, 12)} ${fmt(lines.length / tn!, 15)} ${(mb / tj!).toFixed(1).padStart(8)} ${(mb / tn!).toFixed(1).padStart(9)}  ${x(tj!, tn!)}`,
  );
}
console.log(`${'all 9 files'.padEnd(20)} total time js ${(totJs * 1e3).toFixed(1)} ms, native ${(totNat * 1e3).toFixed(1)} ms: ${x(totJs, totNat)}`);

// 2. batch-size curve
const large = inputs[0]!.lines;
console.log('\n## 2. Batch-size curve on the large file (lines/s; js does not batch)');
const [tjLarge] = timeAll([() => jsPass(large)]);
console.log(`js: ${fmt(large.length / tjLarge!)} lines/s`);
let crossover: number | undefined;
for (let b = 1; b <= 4096; b *= 2) {
  const [tn] = timeAll([() => nativePass(large, b)], quick ? 3 : 5);
  const ratio = tjLarge! / tn!;
  if (crossover === undefined && ratio >= 1) crossover = b;
  console.log(`batch ${String(b).padStart(4)}: native ${fmt(large.length / tn!)} lines/s  ${ratio.toFixed(2)}x js`);
}
console.log(`crossover: native is at least as fast as js from batch size ${crossover ?? '(never)'}`);

// 3. input designs
console.log('\n## 3. Input designs (one call per batch + reading the result, large file)');
for (const b of [16, 256, 4096]) {
  const batches: string[][] = [];
  for (let i = 0; i < large.length; i += b) batches.push(large.slice(i, i + b));
  let buf = Buffer.alloc(1 << 21);
  const designs: [string, () => void][] = [
    ['joined string + ends', () => {
      for (const c of batches) {
        let o = 0;
        for (let k = 0; k < c.length; k++) ends[k] = o += c[k]!.length;
        sink += readTokenizeResult(native.tokenizeJoined(c.join(''), ends.subarray(0, c.length)), c.length).size;
      }
    }],
    ['array of strings', () => {
      for (const c of batches) sink += readTokenizeResult(native.tokenizeArray(c), c.length).size;
    }],
    ['UTF-16 buffer (Buffer.write utf16le) + ends', () => {
      for (const c of batches) {
        let o = 0;
        for (let k = 0; k < c.length; k++) {
          const s = c[k]!;
          if ((o + s.length) * 2 > buf.length) {
            const g = Buffer.alloc(Math.max(buf.length * 2, (o + s.length) * 2));
            buf.copy(g, 0, 0, o * 2);
            buf = g;
          }
          buf.write(s, o * 2, 'utf16le');
          ends[k] = o += s.length;
        }
        const units = new Uint16Array(buf.buffer, buf.byteOffset, o);
        sink += readTokenizeResult(native.tokenizeUtf16(units, ends.subarray(0, c.length)), c.length).size;
      }
    }],
  ];
  const times = timeAll(designs.map(([, f]) => f));
  console.log(`batch ${String(b).padStart(4)}: ` + designs.map(([n], k) => `${n} ${fmt(large.length / times[k]!, 0)} lines/s`).join(' | '));
}

// 4. whole encoder
function records(lines: readonly string[]): LogRecordData[] {
  const resource = { attributes: { 'service.name': 'bench' } };
  const scope = { name: 'bench' };
  return lines.map((body, i) => ({
    hrTime: [1_764_000_000 + Math.floor(i / 1000), (i % 1000) * 1_000_000] as [number, number],
    hrTimeObserved: [1_764_000_000 + Math.floor(i / 1000), (i % 1000) * 1_000_000 + 5000] as [number, number],
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes: {},
    droppedAttributesCount: 0,
    resource,
    scope,
  }));
}

function encoderPass(recs: LogRecordData[], batch: number, impl: TokenizerChoice): () => void {
  return () => {
    // the real integration: the encoder selects the tokenizer and prefetches each batch
    const enc = new StatefulEncoder({ tokenizer: impl });
    for (let i = 0; i < recs.length; i += batch) sink += enc.encode(recs.slice(i, i + batch)).payload.length;
  };
}

console.log(
  `\n## 4. Whole encoder (StatefulEncoder({ tokenizer }), fresh state per pass; auto = the default, native only from batch ${DEFAULT_MIN_NATIVE_BATCH})`,
);
const allLoghub = inputs.slice(1).flatMap((i) => i.lines);
for (const [name, lines] of [['Apache.log (large)', large], ['8 Loghub-2k files', allLoghub]] as const) {
  const recs = records(lines);
  for (const b of [1, 2, 4, 8, 16, 64, 512, 4096]) {
    const [tj, tn, ta] = timeAll(
      [encoderPass(recs, b, 'js'), encoderPass(recs, b, 'native'), encoderPass(recs, b, 'auto')],
      quick ? 3 : 5,
    );
    console.log(
      `${name.padEnd(20)} batch ${String(b).padStart(4)}: js ${fmt(recs.length / tj!)} rec/s, native ${fmt(recs.length / tn!)} rec/s (${x(tj!, tn!)}), auto ${fmt(recs.length / ta!)} rec/s (${x(tj!, ta!)})`,
    );
  }
}
console.log(`\n(sink ${sink})`);
