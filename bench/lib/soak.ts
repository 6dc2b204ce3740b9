/**
 * Soak mode: our exporter under the high-cardinality generator at a fixed rate for many
 * minutes with small limits, so pattern and dictionary eviction never stop. Memory and state
 * sizes are sampled in the app child every few seconds; the trend is the least-squares slope
 * of RSS (and heap) over the second half of the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SoakSample } from './protocol';
import { runOnce, type RunRow } from './runner';
import { sourceVersion } from './source-version';
import { linearRegression } from './stats';
import { lineChart } from './svg-charts';

export interface SoakOptions {
  minutes: number;
  sampleSeconds: number;
  rate: number;
  maxPatterns: number;
  maxDictEntries: number;
  batch: number;
  outDir: string;
  /** The package build to load (see ./package-under-test.ts); undefined: the sources. */
  packagePath?: string;
}

export interface SoakSummary {
  /** fromSource: the package was loaded from src/ through tsx (else the dist/ bundle). */
  options: Omit<SoakOptions, 'outDir' | 'packagePath'> & { fromSource?: boolean };
  /** Commit of the measured source (`+dirty`: uncommitted changes in src/). */
  source?: string;
  records: number;
  received: number;
  bytesPerRecord: number;
  cpuUsPerRecord: number;
  /** Least squares over the second half of the samples, MiB per minute. */
  rssSlopeMiBPerMin: number;
  rssR2: number;
  heapSlopeMiBPerMin: number;
  heapR2: number;
  rssMiB: { min: number; max: number; secondHalfMean: number };
  heapMiB: { min: number; max: number; secondHalfMean: number };
  maxPatterns: number;
  maxDictEntries: number;
  patternDeletes: number;
  dictDeletes: number;
  droppedRecords: number;
}

const MiB = 1024 * 1024;

export async function runSoak(o: SoakOptions): Promise<{ summary: SoakSummary; samples: SoakSample[]; row: RunRow }> {
  const samples: SoakSample[] = [];
  const source = sourceVersion();
  let lastLog = 0;
  const { row } = await runOnce({ name: 'soak (hc-generator)', kind: 'hc-generator' }, 'stateful', {
    batch: o.batch,
    rate: o.rate,
    limits: { patterns: o.maxPatterns, dictEntries: o.maxDictEntries },
    soak: { minutes: o.minutes, sampleMs: o.sampleSeconds * 1000 },
    packagePath: o.packagePath,
    onSample: (s) => {
      samples.push(s);
      if (s.tSec - lastLog >= 30) {
        lastLog = s.tSec;
        console.error(`soak t=${s.tSec.toFixed(0)}s records=${s.records} rss=${(s.rss / MiB).toFixed(1)}MiB heap=${(s.heapUsed / MiB).toFixed(1)}MiB ` +
          `patterns=${s.patterns} dict=${s.dictEntries} deletes=${s.patternDeletes}/${s.dictDeletes}`);
      }
    },
  });
  const half = samples.slice(Math.floor(samples.length / 2));
  const minutes = half.map((s) => s.tSec / 60);
  const rss = linearRegression(minutes, half.map((s) => s.rss / MiB));
  const heap = linearRegression(minutes, half.map((s) => s.heapUsed / MiB));
  const range = (xs: number[], h: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs), secondHalfMean: h.reduce((a, b) => a + b, 0) / h.length });
  const last = samples[samples.length - 1];
  const { outDir, packagePath, ...options } = o;
  const summary: SoakSummary = {
    options: { ...options, ...(packagePath === undefined ? { fromSource: true } : {}) },
    source,
    records: row.records,
    received: row.received,
    bytesPerRecord: row.bytesPerRecord,
    cpuUsPerRecord: row.cpuUsPerRecord,
    rssSlopeMiBPerMin: rss.slope,
    rssR2: rss.r2,
    heapSlopeMiBPerMin: heap.slope,
    heapR2: heap.r2,
    rssMiB: range(samples.map((s) => s.rss / MiB), half.map((s) => s.rss / MiB)),
    heapMiB: range(samples.map((s) => s.heapUsed / MiB), half.map((s) => s.heapUsed / MiB)),
    maxPatterns: Math.max(...samples.map((s) => s.patterns)),
    maxDictEntries: Math.max(...samples.map((s) => s.dictEntries)),
    patternDeletes: last?.patternDeletes ?? 0,
    dictDeletes: last?.dictDeletes ?? 0,
    droppedRecords: last?.droppedRecords ?? 0,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'soak.json'), JSON.stringify({ summary, samples }, null, 1) + '\n');
  writeFileSync(join(outDir, 'soak.svg'), soakChart(summary, samples));
  return { summary, samples, row };
}

export function soakChart(s: SoakSummary, samples: SoakSample[]): string {
  const xs = samples.map((x) => x.tSec);
  const rate = (pick: (x: SoakSample) => number) =>
    samples.map((x, i) => (i === 0 ? 0 : (pick(x) - pick(samples[i - 1]!)) / Math.max(1e-9, x.tSec - samples[i - 1]!.tSec)));
  return lineChart(
    `Soak: ${s.options.minutes} min of the high-cardinality generator at ${s.options.rate} records/s\n` +
      `limits ${s.options.maxPatterns} patterns / ${s.options.maxDictEntries} dict entries; ${s.records.toLocaleString('en-US')} records, ` +
      `${s.received.toLocaleString('en-US')} received; RSS trend over the 2nd half ${s.rssSlopeMiBPerMin.toFixed(2)} MiB/min`,
    'seconds',
    xs,
    [
      { title: 'memory of the app process (MiB)', series: [
        { name: 'RSS', ys: samples.map((x) => x.rss / MiB) },
        { name: 'heap used', ys: samples.map((x) => x.heapUsed / MiB) },
        { name: 'external', ys: samples.map((x) => x.external / MiB) },
      ] },
      { title: 'live encoder state (entries)', series: [
        { name: 'patterns', ys: samples.map((x) => x.patterns) },
        { name: 'dictionary entries', ys: samples.map((x) => x.dictEntries) },
      ] },
      { title: 'evictions per second (deletes sent in-band)', series: [
        { name: 'pattern deletes/s', ys: rate((x) => x.patternDeletes) },
        { name: 'dict deletes/s', ys: rate((x) => x.dictDeletes) },
      ] },
      { title: 'records per second (emitted, acknowledged)', series: [
        { name: 'emitted/s', ys: rate((x) => x.records) },
        { name: 'acked/s', ys: rate((x) => x.ackedRecords) },
      ] },
    ],
  );
}
