/**
 * The benchmark's workloads, each a list of records as an app would emit them: the 8
 * Loghub-2k files (whole lines as bodies, via the demo's corpus loader), the large Apache
 * file, a mix of everything interleaved, the demo's realistic generator and the
 * high-cardinality generator. The corpus is read from ../shared/corpus next to the repo,
 * never copied; corpus workloads are skipped (with a warning) when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findLoghubDir, loadLoghubRecords } from '../../src/cli/demo-corpus';
import { generateDemoRecords, type DemoRecord, type DemoScope } from '../../src/cli/demo-generator';
import { HighCardinalityGenerator } from './hc-generator';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpus');
const APACHE_LARGE = join(CORPUS_DIR, 'large', 'Apache.log.gz');
export const LOGHUB_SYSTEMS = ['HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'BGL', 'OpenSSH', 'Apache', 'HealthApp'] as const;

export interface WorkloadSpec {
  /** Name in tables and charts. */
  name: string;
  kind: 'loghub' | 'apache-large' | 'mix' | 'generator' | 'hc-generator';
  /** Loghub system (kind loghub). */
  system?: string;
  /** Record count (generators; cap for apache-large). */
  records?: number;
  /** Emit the records this many times in a row (later passes find the encoder state warm). Default 1. */
  passes?: number;
}

export function corpusAvailable(): boolean {
  return findLoghubDir([REPO_ROOT]) !== undefined && existsSync(APACHE_LARGE);
}

/** The default workload list (corpus ones only when the corpus exists). */
export function defaultWorkloads(generatorRecords: number): WorkloadSpec[] {
  const out: WorkloadSpec[] = [];
  if (corpusAvailable()) {
    for (const s of LOGHUB_SYSTEMS) out.push({ name: s, kind: 'loghub', system: s });
    out.push({ name: 'Apache-large', kind: 'apache-large' });
    out.push({ name: 'mix', kind: 'mix' });
  } else {
    console.warn(`bench: ${CORPUS_DIR} not found: corpus workloads skipped, generators only`);
  }
  out.push({ name: 'generator', kind: 'generator', records: generatorRecords });
  out.push({ name: 'hc-generator', kind: 'hc-generator', records: generatorRecords });
  return out;
}

export function loadWorkload(spec: WorkloadSpec): DemoRecord[] {
  const once = loadOnce(spec);
  const passes = spec.passes ?? 1;
  if (passes <= 1 || once.length === 0) return once;
  // Later passes move forward in time by the span of one pass, so time never goes back.
  const first = once[0]!.hrTime;
  const last = once[once.length - 1]!.hrTime;
  const spanSec = last[0] - first[0] + 1;
  const out = once.slice();
  for (let p = 1; p < passes; p++) {
    for (const r of once) {
      out.push({ ...r, hrTime: [r.hrTime[0] + p * spanSec, r.hrTime[1]], hrTimeObserved: [r.hrTimeObserved[0] + p * spanSec, r.hrTimeObserved[1]] });
    }
  }
  return out;
}

function loadOnce(spec: WorkloadSpec): DemoRecord[] {
  switch (spec.kind) {
    case 'loghub': {
      const scopeName = `loghub.${spec.system!.toLowerCase()}`;
      return loadLoghub().filter((r) => r.scope.name === scopeName);
    }
    case 'apache-large':
      return loadApacheLarge(spec.records);
    case 'generator':
      return generateDemoRecords(spec.records ?? 20_000);
    case 'hc-generator': {
      const g = new HighCardinalityGenerator();
      return Array.from({ length: spec.records ?? 20_000 }, () => g.next());
    }
    case 'mix':
      return interleave([loadLoghub(), loadApacheLarge(), generateDemoRecords(16_000, 99)]);
  }
}

function loadLoghub(): DemoRecord[] {
  const dir = findLoghubDir([REPO_ROOT]);
  if (!dir) throw new Error(`Loghub-2k corpus not found next to ${REPO_ROOT}`);
  return loadLoghubRecords(dir);
}

const APACHE_SCOPE: DemoScope = { name: 'apache.large' };

/** The 56,482-line Apache error log: whole lines as bodies, severity from the `[level]` field. */
function loadApacheLarge(limit?: number): DemoRecord[] {
  const lines = gunzipSync(readFileSync(APACHE_LARGE)).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: DemoRecord[] = [];
  let ns = 1_764_100_000n * 1_000_000_000n;
  for (const line of lines.slice(0, limit ?? lines.length)) {
    ns += 700_001n + BigInt(line.length * 131);
    const level = /^\[[^\]]*\] \[(\w+)\]/.exec(line)?.[1];
    const sev = level === 'error' ? 17 : level === 'warn' ? 13 : level === 'notice' || level === 'info' ? 9 : undefined;
    out.push({
      scope: APACHE_SCOPE,
      hrTime: [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)],
      hrTimeObserved: [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)],
      ...(sev !== undefined ? { severityNumber: sev, severityText: level } : {}),
      body: line,
      attributes: { 'log.file.name': 'Apache.log' },
    });
  }
  return out;
}

/**
 * Interleaves several sources as one app with several components would: a seeded random
 * pick of the next source (weighted by what is left), each source keeping its order;
 * timestamps are re-assigned so time only moves forward.
 */
function interleave(sources: DemoRecord[][]): DemoRecord[] {
  const pos = sources.map(() => 0);
  let left = sources.reduce((a, s) => a + s.length, 0);
  const out: DemoRecord[] = [];
  let seed = 12345;
  let ns = 1_764_200_000n * 1_000_000_000n;
  while (left > 0) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    let k = (seed / 4294967296) * left;
    let i = 0;
    while (k >= sources[i]!.length - pos[i]!) k -= sources[i]!.length - pos[i++]!;
    const r = sources[i]![pos[i]!++]!;
    left--;
    ns += 300_007n;
    const t: [number, number] = [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
    out.push({ ...r, hrTime: t, hrTimeObserved: t });
  }
  return out;
}
