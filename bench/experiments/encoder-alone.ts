/**
 * Experiment: the stateful encoder alone (no SDK, no transport, no compression), in steady
 * state: records of one workload are converted once (`toLogRecordData`), one encoder learns
 * them in a first pass, then the next passes are timed (batches of 512). Several rounds, each
 * with a new encoder; the first round also pays V8's compiles. With `--alloc`, V8's sampling
 * heap profiler counts what the timed passes allocate, by function (inlining off would
 * attribute it more exactly: `node --no-turbo-inlining --import tsx ...`).
 *
 * Usage: npx tsx bench/experiments/encoder-alone.ts [--workload generator|hc-generator|HDFS|…] [--passes 5] [--rounds 4] [--alloc] [--dist]
 * `--dist` loads the built bundle (`dist/index.cjs`, run `npm run build` first) instead of
 * `src/` through tsx, whose per-import getters cost the encoder 15-25 %.
 * The Loghub workloads need ../shared/corpus/ next to the repository.
 */
import { Session } from 'node:inspector';
import type * as Package from '../../src/index';
import type { LogRecordData } from '../../src/encoder/log-record';
import type { DemoRecord } from '../../src/cli/demo-generator';
import { loadWorkload } from '../lib/workloads';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StatefulEncoder, toLogRecordData } = require(process.argv.includes('--dist') ? '../../dist/index.cjs' : '../../src/index') as typeof Package;
type StatefulEncoder = InstanceType<typeof StatefulEncoder>;
const name = arg('workload', 'generator');
const passes = Number(arg('passes', '5'));
const rounds = Number(arg('rounds', '4'));
const BATCH = 512;
const RESOURCE = { attributes: { 'service.name': 'encoder-alone' } };

function load(): LogRecordData[] {
  const kind = name === 'generator' || name === 'hc-generator' ? name : name === 'Apache-large' ? 'apache-large' : 'loghub';
  const demo: DemoRecord[] = loadWorkload({ name, kind, ...(kind === 'loghub' ? { system: name } : { records: 20_000 }) });
  return demo.map((r) =>
    toLogRecordData({
      body: r.body, attributes: r.attributes ?? {}, hrTime: r.hrTime, hrTimeObserved: r.hrTimeObserved, severityNumber: r.severityNumber, severityText: r.severityText,
      resource: RESOURCE, instrumentationScope: r.scope, droppedAttributesCount: 0, spanContext: r.spanContext,
    } as never),
  );
}

function encodeAll(enc: StatefulEncoder, data: LogRecordData[], n: number): number {
  let bytes = 0;
  for (let p = 0; p < n; p++) for (let i = 0; i < data.length; i += BATCH) bytes += enc.encode(data.slice(i, i + BATCH)).payload.byteLength;
  return bytes;
}

async function allocations(data: LogRecordData[]): Promise<void> {
  const enc = new StatefulEncoder();
  encodeAll(enc, data, 1);
  const s = new Session();
  s.connect();
  const post = <T>(m: string, p?: object) => new Promise<T>((res, rej) => s.post(m, p as never, (e, r) => (e ? rej(e) : res(r as T))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  encodeAll(enc, data, passes);
  interface Node { callFrame: { functionName: string; url: string }; selfSize: number; children: Node[] }
  const { profile } = await post<{ profile: { head: Node } }>('HeapProfiler.stopSampling');
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: Node, caller: string) => {
    const key = `${n.callFrame.functionName || '(anonymous)'} (${n.callFrame.url.replace(/.*\/(src|node_modules)\//, '') || 'builtin'}) <- ${caller}`;
    by.set(key, (by.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c, n.callFrame.functionName || '(anonymous)');
  };
  walk(profile.head, '');
  const per = passes * data.length;
  console.log(`${name}: ${(total / per).toFixed(0)} B allocated per record in steady state; by function (B/record):`);
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${(v / per).toFixed(0).padStart(7)}  ${k}`);
}

async function main(): Promise<void> {
  const data = load();
  const times: string[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    const enc = new StatefulEncoder();
    encodeAll(enc, data, 1);
    const t0 = process.hrtime.bigint();
    bytes = encodeAll(enc, data, passes);
    times.push((Number(process.hrtime.bigint() - t0) / 1e3 / (passes * data.length)).toFixed(2));
  }
  console.log(`${name}: ${data.length} records, passes 2-${passes + 1} of each round: ${times.join(' ')} µs/record (round 1 includes V8's compiles); payload ${(bytes / (passes * data.length)).toFixed(1)} B/record before compression`);
  if (process.argv.includes('--alloc')) await allocations(data);
}

void main();
