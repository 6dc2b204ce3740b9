/**
 * Experiment: how much of an exporter's in-app CPU is V8's optimizing compiler. The bench
 * child (bench/lib/app-child.ts, same warm-up and workload as `npm run bench`) runs under
 * `--trace-opt --trace-deopt`; the lines V8 prints during the measured run are summed per
 * function: TurboFan compile time ("took a, b, c ms", mostly on a background thread, so
 * outside the --cpu-prof profile but inside the process CPU), compiles, and deoptimizations
 * with their reasons (each one throws the optimized code away and usually means another
 * compile). A function compiled many times in the run, or a big one deoptimized by
 * "wrong map" / "out of bounds" / "Insufficient type feedback", is where to look.
 *
 * Compile times are wall-clock on a shared machine: compare within a run. The process CPU
 * and its main-thread part come from the same run (tracing costs some CPU itself).
 *
 * Usage: npx tsx bench/experiments/jit-cost.ts [--workload HDFS] [--exporter stateful|otlp-gzip|both] [--top 25]
 *        [--dump /tmp/trace]  (writes the child's whole output to /tmp/trace.<exporter>.log)
 * JIT_COST_FLAGS='--trace-deopt-verbose' adds V8 flags to the traced child: each bailout then
 * says where (`deoptimize at <src/x.ts:2:COL>`). tsx runs each file as esbuild's whitespace-
 * minified output, all on line 2, so COL is a column of `esbuild.transformSync(src, { loader:
 * 'ts', format: 'cjs', minifyWhitespace: true, keepNames: true, target: 'node<version>',
 * tsconfigRaw: { compilerOptions: { strict: true, target: 'ES2022' } } }).code` (line 1).
 * Other useful flags: --trace-opt-verbose (why a function was or was not optimized; "IC
 * change: Polymorphic" right after a new exporter starts means an object or array there has
 * a new hidden class), --trace-compilation-dependencies (maps a compile depends on).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { ExporterKind } from '../lib/protocol';
import { runOnce } from '../lib/runner';
import { defaultWorkloads } from '../lib/workloads';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};

/** Extra V8 flags for the traced child, e.g. JIT_COST_FLAGS='--trace-deopt-verbose' to see what each deopt checked. */
const extraFlags = () => (process.env.JIT_COST_FLAGS ?? '').split(/\s+/).filter(Boolean);

interface FnCost {
  compiles: number;
  compileMs: number;
  deopts: Map<string, number>;
}

function summarise(trace: string): { fns: Map<string, FnCost>; totalMs: number; compiles: number; deopts: number } {
  const start = trace.indexOf('=== measured run: start');
  const end = trace.indexOf('=== measured run: end');
  const window = start >= 0 && end > start ? trace.slice(start, end) : '';
  const fns = new Map<string, FnCost>();
  const fn = (name: string) => {
    let f = fns.get(name);
    if (!f) fns.set(name, (f = { compiles: 0, compileMs: 0, deopts: new Map() }));
    return f;
  };
  let totalMs = 0;
  let compiles = 0;
  let deopts = 0;
  for (const m of window.matchAll(/\[completed compiling 0x[0-9a-f]+ <JSFunction (\S*) [^\]]*?took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/g)) {
    const ms = Number(m[2]) + Number(m[3]) + Number(m[4]);
    const f = fn(m[1] || '(anonymous)');
    f.compiles++;
    f.compileMs += ms;
    totalMs += ms;
    compiles++;
  }
  for (const m of window.matchAll(/\[bailout \(kind: [^,]+, reason: ([^)]*)\): begin\. deoptimizing 0x[0-9a-f]+ <JSFunction (\S*) /g)) {
    const f = fn(m[2] || '(anonymous)');
    f.deopts.set(m[1]!, (f.deopts.get(m[1]!) ?? 0) + 1);
    deopts++;
  }
  return { fns, totalMs, compiles, deopts };
}

async function inner(): Promise<void> {
  const name = arg('workload', 'HDFS');
  const workload = defaultWorkloads(20_000).find((w) => w.name === name);
  if (!workload) throw new Error(`unknown workload ${name}`);
  const { row } = await runOnce(workload, arg('exporter', 'stateful') as ExporterKind, {
    batch: 512, rate: 0, warmupRecords: 5000, execArgv: ['--trace-opt', '--trace-deopt', ...extraFlags()],
  });
  process.stdout.write(`=== row ${JSON.stringify(row)}\n`);
}

async function outer(): Promise<void> {
  const which = arg('exporter', 'both');
  const kinds: ExporterKind[] = which === 'both' ? ['stateful', 'otlp-gzip'] : [which as ExporterKind];
  const top = Number(arg('top', '25'));
  for (const kind of kinds) {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, __filename, '--inner', '--workload', arg('workload', 'HDFS'), '--exporter', kind], {
        env: { ...process.env, BENCH_MARK_WINDOW: '1' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`jit-cost inner run exited with ${code}`))));
    });
    const rowLine = /=== row (.*)/.exec(out);
    const row = rowLine ? (JSON.parse(rowLine[1]!) as { cpuUsPerRecord: number; cpuMainUsPerRecord?: number; records: number }) : undefined;
    const s = summarise(out);
    const dump = arg('dump', '');
    if (dump) writeFileSync(`${dump}.${kind}.log`, out);
    console.log(`\n### ${arg('workload', 'HDFS')}, ${kind}: TurboFan ${s.totalMs.toFixed(1)} ms in ${s.compiles} compiles, ${s.deopts} deopts during the measured run`);
    if (row) {
      const main = row.cpuMainUsPerRecord;
      console.log(`process CPU ${row.cpuUsPerRecord.toFixed(1)} µs/record${main !== undefined ? ` (main thread ${main.toFixed(1)}, other threads ${(row.cpuUsPerRecord - main).toFixed(1)})` : ''}; ` +
        `compile time / records = ${((s.totalMs * 1000) / row.records).toFixed(1)} µs/record (traced run, so slower than npm run bench)`);
    }
    console.log('\n| compile ms | compiles | deopts (reason) | function |\n|--:|--:|---|---|');
    const rows = [...s.fns.entries()].sort((a, b) => b[1].compileMs - a[1].compileMs || b[1].deopts.size - a[1].deopts.size);
    for (const [name, f] of rows.slice(0, top)) {
      const d = [...f.deopts.entries()].map(([why, n]) => `${n} ${why}`).join('; ');
      console.log(`| ${f.compileMs.toFixed(1)} | ${f.compiles} | ${d || '-'} | ${name} |`);
    }
  }
}

(process.argv.includes('--inner') ? inner() : outer()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
