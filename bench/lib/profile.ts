/**
 * Profile mode: runs the application child of a workload under `node --cpu-prof` (our
 * exporter and, for comparison, the official one with gzip) and summarises each profile:
 * self time by function and by file, so the hot path is visible without a profiler UI.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExporterKind } from './protocol';
import { runOnce } from './runner';
import { REPO_ROOT, type WorkloadSpec } from './workloads';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  topFunctions: { name: string; where: string; selfMs: number; pct: number }[];
  topFiles: { file: string; selfMs: number; pct: number }[];
}

const shortUrl = (url: string) => {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  return nm >= 0 ? path.slice(nm + 13) : path.startsWith('/') ? relative(REPO_ROOT, path) : path;
};

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    total += us;
    const where = `${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
    const key = `${cf.functionName}@${where}`;
    const e = fn.get(key) ?? { name: cf.functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const f = shortUrl(cf.url);
    files.set(f, (files.get(f) ?? 0) + us);
  }
  const pct = (us: number) => (100 * us) / total;
  return {
    file: relative(REPO_ROOT, file),
    totalMs: total / 1000,
    topFunctions: [...fn.values()].sort((a, b) => b.us - a.us).slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: pct(e.us) })),
    topFiles: [...files.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)
      .map(([f, us]) => ({ file: f, selfMs: us / 1000, pct: pct(us) })),
  };
}

export function profileMarkdown(title: string, s: ProfileSummary): string {
  const out = [`### ${title}`, '', `${s.file}: ${s.totalMs.toFixed(0)} ms sampled (whole child: loading, warm-up, run)`, '',
    '| self ms | % | function | where |', '|--:|--:|---|---|'];
  for (const f of s.topFunctions) out.push(`| ${f.selfMs.toFixed(1)} | ${f.pct.toFixed(1)} | ${f.name} | ${f.where} |`);
  out.push('', '| self ms | % | file |', '|--:|--:|---|');
  for (const f of s.topFiles) out.push(`| ${f.selfMs.toFixed(1)} | ${f.pct.toFixed(1)} | ${f.file} |`);
  return out.join('\n');
}

export async function runProfiles(workload: WorkloadSpec, kinds: ExporterKind[], outDir: string, batch: number, warmupRecords: number): Promise<string> {
  const dir = join(outDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const parts: string[] = [];
  for (const kind of kinds) {
    const name = `${workload.name}-${kind}`;
    for (const f of readdirSync(dir)) if (f.startsWith(`${name}.`)) rmSync(join(dir, f));
    const { row } = await runOnce(workload, kind, {
      batch, rate: 0, warmupRecords,
      execArgv: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}.cpuprofile`],
    });
    parts.push(profileMarkdown(`${workload.name}, ${kind}: ${row.cpuUsPerRecord.toFixed(1)} µs/record (profiled run)`, summariseProfile(join(dir, `${name}.cpuprofile`))));
  }
  return parts.join('\n\n');
}
