/**
 * `npm run bench [-- options]`: the side-by-side benchmark (default), the soak (--soak) and
 * the hot-path profile (--profile). Results go to bench/results/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { ExporterKind, WarmupSource } from './protocol';
import { snapshotBuild } from './package-under-test';
import { runProfiles } from './profile';
import { barChart, resultsTable, targetsTable } from './report';
import { runOnce, type RunRow } from './runner';
import { runSoak, soakChart } from './soak';
import { sourceVersion } from './source-version';
import { defaultWorkloads, REPO_ROOT, type WorkloadSpec } from './workloads';

interface CliOptions {
  quick?: boolean;
  workloads?: string;
  exporters: string;
  records: number;
  rate: number;
  batch: number;
  warmup: number;
  warmupSource: WarmupSource;
  warmupPipelines: number;
  fromSource?: boolean;
  nodeFlags?: string;
  repeat: number;
  passes: number;
  json?: boolean;
  out: string;
  soak?: boolean;
  minutes: number;
  sampleSeconds: number;
  soakRate: number;
  maxPatterns: number;
  maxDict: number;
  profile?: string;
  replot?: boolean;
}

/** Re-draws the charts from the JSON results in the results folder (after a chart change). */
function replot(out: string): void {
  const bench = join(out, 'bench.json');
  if (existsSync(bench)) writeFileSync(join(out, 'bench.svg'), barChart((JSON.parse(readFileSync(bench, 'utf8')) as { rows: RunRow[] }).rows));
  const soak = join(out, 'soak.json');
  if (existsSync(soak)) {
    const { summary, samples } = JSON.parse(readFileSync(soak, 'utf8')) as { summary: Parameters<typeof soakChart>[0]; samples: Parameters<typeof soakChart>[1] };
    writeFileSync(join(out, 'soak.svg'), soakChart(summary, samples));
  }
}

const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number >= 0: ${v}`);
  return n;
};

const QUICK = ['HDFS', 'OpenSSH', 'generator'];

/** Extra V8/node flags for the application children (--node-flags), split on spaces. */
const nodeFlags = (o: CliOptions): string[] => (o.nodeFlags ?? '').split(/\s+/).filter(Boolean);

function selectWorkloads(o: CliOptions): WorkloadSpec[] {
  const all = defaultWorkloads(o.quick ? Math.min(o.records, 5000) : o.records);
  const names = o.workloads ? o.workloads.split(',') : o.quick ? QUICK : undefined;
  if (o.passes > 1) for (const w of all) w.passes = o.passes;
  if (!names) return all;
  const picked = names.map((n) => all.find((w) => w.name.toLowerCase() === n.trim().toLowerCase()));
  const missing = names.filter((_, i) => !picked[i]);
  if (missing.length) throw new Error(`unknown or unavailable workload(s): ${missing.join(', ')} (have: ${all.map((w) => w.name).join(', ')})`);
  return picked as WorkloadSpec[];
}

async function runBench(o: CliOptions): Promise<void> {
  const kinds = o.exporters.split(',').map((k) => k.trim()) as ExporterKind[];
  const packagePath = o.fromSource ? undefined : snapshotBuild();
  const rows: RunRow[] = [];
  const started = new Date().toISOString();
  const loadBefore = loadavg()[0]!;
  for (const w of selectWorkloads(o)) {
    for (const kind of kinds) {
      const rate = w.kind === 'generator' || w.kind === 'hc-generator' ? o.rate : 0;
      // On a shared machine CPU figures wander: with --repeat, keep the run of median CPU.
      const runs: RunRow[] = [];
      for (let i = 0; i < o.repeat; i++) runs.push((await runOnce(w, kind, { batch: o.batch, rate, warmupRecords: o.warmup, warmupSource: o.warmupSource, warmupPipelines: o.warmupPipelines, packagePath, execArgv: nodeFlags(o) })).row);
      runs.sort((a, b) => a.cpuUsPerRecord - b.cpuUsPerRecord);
      const row = runs[Math.floor((runs.length - 1) / 2)]!;
      rows.push(row);
      console.error(`${w.name.padEnd(13)} ${kind.padEnd(9)} ${row.bytesPerRecord.toFixed(1).padStart(7)} B/rec ${row.cpuUsPerRecord.toFixed(1).padStart(6)} µs/rec ` +
        `${Math.round(row.recordsPerSec).toString().padStart(7)} rec/s  received ${row.received}/${row.records}`);
    }
  }
  const meta = { started, finished: new Date().toISOString(), source: sourceVersion(), loadavg1m: [loadBefore, loadavg()[0]!], node: process.version, batch: o.batch, warmupRecords: o.warmup, warmupSource: o.warmupSource, warmupPipelines: o.warmupPipelines, package: packagePath ? 'dist (tsup bundle, snapshot)' : 'src through tsx', repeat: o.repeat, passes: o.passes, nodeFlags: nodeFlags(o), generatorRate: o.rate, argv: process.argv.slice(2) };
  mkdirSync(o.out, { recursive: true });
  const md = [`# Benchmark results (${meta.finished})`, '', `Source ${meta.source}; Node ${meta.node}; load average ${meta.loadavg1m.map((l) => l.toFixed(1)).join(' -> ')} on 2 cores (other agents); batch ${o.batch}; warm-up ${o.warmup} records (${o.warmupSource === 'same' ? "the workload's own" : 'demo generator'}, over ${o.warmupPipelines} pipeline(s)); package ${packagePath ? 'dist/ (the published bundle)' : 'src/ through tsx'}; ${o.repeat} run(s) each, median CPU kept; ${o.passes} pass(es) over each workload; args: \`${meta.argv.join(' ') || '(defaults)'}\``, '',
    '## Against the targets', '', targetsTable(rows), '', '## All figures', '', resultsTable(rows), ''].join('\n');
  writeFileSync(join(o.out, 'bench.md'), md);
  writeFileSync(join(o.out, 'bench.svg'), barChart(rows));
  writeFileSync(join(o.out, 'bench.json'), JSON.stringify({ meta, rows }, null, 1) + '\n');
  console.log(o.json ? JSON.stringify({ meta, rows }, null, 2) : md);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('bench')
    .description('side-by-side benchmark of otel-stateful-logs and the official OTLP/gRPC exporter (bytes on the socket, CPU, memory, latency)')
    .option('--quick', `a quick subset (${QUICK.join(', ')}; generator capped at 5000 records)`)
    .option('--workloads <names>', 'comma-separated workload names (HDFS,…,HealthApp,Apache-large,mix,generator,hc-generator)')
    .option('--exporters <kinds>', 'comma-separated: stateful,otlp,otlp-gzip', 'stateful,otlp,otlp-gzip')
    .option('--records <n>', 'records of the generator workloads', num, 20_000)
    .option('--rate <n>', 'records/s of the generator workloads (0 = as fast as possible)', num, 0)
    .option('--batch <n>', 'records per export, both processors', num, 512)
    .option('--warmup <n>', 'records sent through throwaway pipelines first (0 = cold start; 5000 with --warmup-pipelines 3 was the default until 23:30 UTC 2026-11-25)', num, 20_000)
    .addOption(new Option('--warmup-source <kind>', "what the warm-up emits: the workload's own first records, or the demo generator (leaves the paths only this log source reaches to be compiled inside the measured run)").choices(['same', 'generator']).default('same'))
    .option('--node-flags <flags>', 'extra node/V8 flags for the application children, e.g. "--single-threaded-gc" (where the CPU off the main thread goes)')
    .option('--from-source', 'load the package from src/ through tsx instead of the dist/ bundle users install (slower: see bench/lib/package-under-test.ts)')
    .option('--warmup-pipelines <n>', 'throwaway pipelines the warm-up is split over, one after the other (what runs only at the start of a stream gets type feedback from the second on)', num, 4)
    .option('--passes <n>', 'emit each workload n times in a row (steady state: patterns already learnt after pass 1)', num, 1)
    .option('--repeat <n>', 'runs per workload and exporter; the one of median CPU is reported', num, 1)
    .option('--json', 'print the results as JSON')
    .option('--out <dir>', 'results folder', join(REPO_ROOT, 'bench', 'results'))
    .option('--soak', 'soak mode: high-cardinality generator with small limits, memory and state sampled')
    .option('--minutes <n>', 'soak length', num, 10)
    .option('--sample-seconds <n>', 'soak sampling interval', num, 5)
    .option('--soak-rate <n>', 'soak records/s', num, 2000)
    .option('--max-patterns <n>', 'soak pattern limit', num, 50)
    .option('--max-dict <n>', 'soak dictionary entry limit', num, 100)
    .option('--profile <workload>', 'profile our exporter and OTLP+gzip on one workload with --cpu-prof')
    .option('--replot', 're-draw bench.svg and soak.svg from bench.json and soak.json');
  program.parse(argv, { from: 'user' });
  const o = program.opts<CliOptions>();
  if (o.replot) {
    replot(o.out);
  } else if (o.soak) {
    const { summary } = await runSoak({
      minutes: o.minutes, sampleSeconds: o.sampleSeconds, rate: o.soakRate, maxPatterns: o.maxPatterns, maxDictEntries: o.maxDict, batch: o.batch, outDir: o.out,
      packagePath: o.fromSource ? undefined : snapshotBuild(),
    });
    console.log(JSON.stringify(summary, null, 2));
  } else if (o.profile) {
    const [w] = selectWorkloads({ ...o, workloads: o.profile });
    const md = await runProfiles(w!, ['stateful', 'otlp-gzip'], o.out, o.batch, o.warmup, o.warmupSource, o.warmupPipelines);
    writeFileSync(join(o.out, `profile-${w!.name}.md`), md + '\n');
    console.log(md);
  } else {
    await runBench(o);
  }
}
