/**
 * Profile mode: runs the application child of a workload under `node --cpu-prof` (our
 * exporter and, for comparison, the official one with gzip) and summarises each profile:
 * self time by function and by file, counting only the samples inside the measured run
 * (V8 stamps samples with the same monotonic clock the child reports its window in), so
 * module loading, workload parsing and warm-up do not blur the hot path. The .cpuprofile
 * files open in Chrome DevTools or speedscope for the call tree.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExporterKind, WarmupSource } from './protocol';
import { runOnce } from './runner';
import { REPO_ROOT, type WorkloadSpec } from './workloads';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** False when the window did not overlap the profile (clock mismatch): whole profile counted. */
  windowed: boolean;
  topFunctions: { name: string; where: string; selfMs: number; pct: number }[];
  topFiles: { file: string; selfMs: number; pct: number }[];
  /** Self time by area of the pipeline (see `area`). */
  areas: { area: string; selfMs: number; pct: number }[];
}

/** Which part of the pipeline a file (as shortUrl gives it) belongs to. */
function area(file: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)' || fn === '(program)') return 'idle / VM';
  if (/encoder\/(tokenizer|token|native-tokenizer|tokenizer-select)\.ts$/.test(file)) return 'ours: tokenizer';
  if (/encoder\/(clusterer|pattern-store|pattern|anchored-match|watermark-eviction)\.ts$/.test(file)) return 'ours: clustering + pattern store';
  // compression.ts: the native deflate-stream context (the default) and zstd (wasm)
  if (/encoder\/(compression)\.ts$/.test(file) || file.startsWith('wasm://')) return 'ours: compression (native deflate-stream, zstd wasm)';
  if (file.startsWith('src/encoder/') || file.startsWith('src/proto/')) return 'ours: record encoding (values, dictionary, wire)';
  if (file.startsWith('src/')) return 'ours: exporter / processor / transport';
  if (file.startsWith('@opentelemetry/otlp-transformer')) return 'OTLP serializer';
  if (file.startsWith('@opentelemetry/')) return 'OpenTelemetry SDK / API';
  if (file.startsWith('@grpc/') || /^node:(internal\/http2|net|internal\/stream_base|internal\/streams)/.test(file)) return 'gRPC / HTTP2 / sockets';
  if (file === 'node:zlib') return 'zlib (gzip, deflate-stream)';
  if (file.startsWith('bench/')) return 'bench harness (emit loop, timing)';
  return 'other (node internals, native)';
}

const shortUrl = (url: string) => {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  return nm >= 0 ? path.slice(nm + 13) : path.startsWith('/') ? relative(REPO_ROOT, path) : path;
};

/** Self time per function and per file; `windowMs` (monotonic ms) limits the samples counted. */
export function summariseProfile(file: string, windowMs?: [number, number], top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const inWindow = (tUs: number) => !windowMs || (tUs >= windowMs[0] * 1000 && tUs <= windowMs[1] * 1000);
  let t = p.startTime;
  let overlap = 0;
  for (const d of p.timeDeltas) if (inWindow((t += d))) overlap++;
  const windowed = windowMs !== undefined && overlap > 0;
  const selfUs = new Map<number, number>();
  t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i] ?? 0;
    t += d;
    if (windowed && !inWindow(t)) continue;
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + d);
  }
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const files = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    total += us;
    // tsx-compiled sources are one line: a line number there says nothing.
    const where = cf.url.endsWith('.ts') ? shortUrl(cf.url) : `${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
    const key = `${cf.functionName}@${where}`;
    const e = fn.get(key) ?? { name: cf.functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const f = shortUrl(cf.url);
    files.set(f, (files.get(f) ?? 0) + us);
    const a = area(f, cf.functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const pct = (us: number) => (100 * us) / total;
  return {
    file: relative(REPO_ROOT, file),
    totalMs: total / 1000,
    windowed,
    topFunctions: [...fn.values()].sort((a, b) => b.us - a.us).slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: pct(e.us) })),
    topFiles: [...files.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)
      .map(([f, us]) => ({ file: f, selfMs: us / 1000, pct: pct(us) })),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([a, us]) => ({ area: a, selfMs: us / 1000, pct: pct(us) })),
  };
}

export function profileMarkdown(title: string, s: ProfileSummary): string {
  const scope = s.windowed ? 'the measured run only' : 'the whole child (window not found: loading and warm-up included)';
  const out = [`### ${title}`, '', `\`${s.file}\`: ${s.totalMs.toFixed(0)} ms sampled, ${scope}`, '',
    '| self ms | % | area |', '|--:|--:|---|'];
  for (const a of s.areas) out.push(`| ${a.selfMs.toFixed(1)} | ${a.pct.toFixed(1)} | ${a.area} |`);
  out.push('', '| self ms | % | function | where |', '|--:|--:|---|---|');
  for (const f of s.topFunctions) out.push(`| ${f.selfMs.toFixed(1)} | ${f.pct.toFixed(1)} | ${f.name} | ${f.where} |`);
  out.push('', '| self ms | % | file |', '|--:|--:|---|');
  for (const f of s.topFiles) out.push(`| ${f.selfMs.toFixed(1)} | ${f.pct.toFixed(1)} | ${f.file} |`);
  return out.join('\n');
}

export async function runProfiles(workload: WorkloadSpec, kinds: ExporterKind[], outDir: string, batch: number, warmupRecords: number, warmupSource: WarmupSource, warmupPipelines: number): Promise<string> {
  const dir = join(outDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const parts: string[] = [];
  for (const kind of kinds) {
    const name = `${workload.name}-${kind}`;
    // tsx's loader hooks run in a worker thread that writes a profile too: let Node name
    // them (CPU.<date>.<time>.<pid>.<thread>.<seq>) in a scratch folder and keep thread 0's.
    const scratch = join(dir, `${name}.tmp`);
    rmSync(scratch, { recursive: true, force: true });
    const { row, result } = await runOnce(workload, kind, {
      batch, rate: 0, warmupRecords, warmupSource, warmupPipelines, execArgv: ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', scratch],
    });
    const main = readdirSync(scratch).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (!main) throw new Error(`no main-thread profile in ${scratch}`);
    const file = join(dir, `${name}.cpuprofile`);
    renameSync(join(scratch, main), file);
    rmSync(scratch, { recursive: true, force: true });
    // --cpu-prof samples the main thread only: say how much of the CPU it leaves out.
    const threads = row.cpuMainUsPerRecord !== undefined
      ? `, of which main thread ${row.cpuMainUsPerRecord.toFixed(1)} (profiled below), other threads ${(row.cpuUsPerRecord - row.cpuMainUsPerRecord).toFixed(1)} (V8 compiler and GC, libuv pool: not in the profile)`
      : '';
    parts.push(profileMarkdown(`${workload.name}, ${kind}: ${row.cpuUsPerRecord.toFixed(1)} µs/record (profiled run${threads})`, summariseProfile(file, result.window)));
  }
  return parts.join('\n\n');
}
