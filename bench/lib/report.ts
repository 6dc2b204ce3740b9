/**
 * Turns benchmark rows into the markdown tables (all figures, and where we stand against the
 * issue's targets) and the bar chart.
 */
import { EXPORTER_LABEL, type ExporterKind } from './protocol';
import type { RunRow } from './runner';
import { groupedBarChart } from './svg-charts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

export function resultsTable(rows: RunRow[]): string {
  const ref = baselineBytes(rows);
  const lines = [
    '| workload | exporter | records | bytes on socket | B/record | OTLP+gzip / this | CPU µs/record (main thread) | records/s | peak RSS MiB | heap growth MiB | export p50 / p99 ms | emit→received p50 / p99 ms | received |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const base = ref.get(r.workload);
    lines.push(`| ${r.workload} | ${EXPORTER_LABEL[r.exporter]} | ${int(r.records)} | ${int(r.bytesUp)} | ${f(r.bytesPerRecord)} | ` +
      `${base ? f(base / r.bytesUp, 2) + 'x' : 'n/a'} | ${f(r.cpuUsPerRecord)}${r.cpuMainUsPerRecord !== undefined ? ` (${f(r.cpuMainUsPerRecord)})` : ''} | ${int(r.recordsPerSec)} | ${f(r.peakRssMiB)} | ${f(r.heapGrowthMiB)} | ` +
      `${f(r.exportP50Ms)} / ${f(r.exportP99Ms)} | ${f(r.e2eP50Ms)} / ${f(r.e2eP99Ms)} | ${r.received === r.records ? 'all' : `${int(r.received)} of ${int(r.records)}`} |`);
  }
  return lines.join('\n');
}

function baselineBytes(rows: RunRow[]): Map<string, number> {
  return new Map(rows.filter((r) => r.exporter === 'otlp-gzip').map((r) => [r.workload, r.bytesUp]));
}

/** One line per workload: our bytes and CPU against the official exporter with gzip. */
export function targetsTable(rows: RunRow[]): string {
  const lines = [
    '| workload | bytes: OTLP+gzip / ours (target >= 3) | CPU µs/record: ours vs OTLP+gzip (target <=) | peak RSS MiB: ours vs OTLP+gzip | patterns / dict entries |',
    '|---|--:|--:|--:|--:|',
  ];
  for (const w of workloads(rows)) {
    const ours = rows.find((r) => r.workload === w && r.exporter === 'stateful');
    const otlp = rows.find((r) => r.workload === w && r.exporter === 'otlp-gzip');
    if (!ours || !otlp) continue;
    const ratio = otlp.bytesUp / ours.bytesUp;
    const cpuOk = ours.cpuUsPerRecord <= otlp.cpuUsPerRecord;
    lines.push(`| ${w} | ${f(ratio, 2)}x ${ratio >= 3 ? 'met' : 'MISSED'} | ${f(ours.cpuUsPerRecord)} vs ${f(otlp.cpuUsPerRecord)} ${cpuOk ? 'met' : 'MISSED'} | ` +
      `${f(ours.peakRssMiB)} vs ${f(otlp.peakRssMiB)} | ${ours.patterns ?? 'n/a'} / ${ours.dictEntries ?? 'n/a'} |`);
  }
  return lines.join('\n');
}

function workloads(rows: RunRow[]): string[] {
  return [...new Set(rows.map((r) => r.workload))];
}

export function barChart(rows: RunRow[]): string {
  const groups = workloads(rows);
  const kinds = [...new Set(rows.map((r) => r.exporter))] as ExporterKind[];
  const pick = (k: ExporterKind, key: 'bytesPerRecord' | 'cpuUsPerRecord') =>
    groups.map((g) => rows.find((r) => r.workload === g && r.exporter === k)?.[key] ?? Number.NaN);
  return groupedBarChart('otel-stateful-logs vs the official OTLP/gRPC exporter', groups, kinds.map((k) => EXPORTER_LABEL[k]), [
    { title: 'bytes on the socket per record (lower is better)', values: kinds.map((k) => pick(k, 'bytesPerRecord')) },
    { title: 'CPU per record in the app process, µs user + system (lower is better)', values: kinds.map((k) => pick(k, 'cpuUsPerRecord')) },
    ...(kinds.includes('stateful') && kinds.includes('otlp-gzip')
      ? [{
          title: 'bytes ratio: OTLP+gzip / otel-stateful-logs (higher is better)',
          values: kinds.map((k) => (k === 'stateful' ? groups.map((g) => {
            const ours = rows.find((r) => r.workload === g && r.exporter === 'stateful');
            const otlp = rows.find((r) => r.workload === g && r.exporter === 'otlp-gzip');
            return ours && otlp ? otlp.bytesUp / ours.bytesUp : Number.NaN;
          }) : groups.map(() => Number.NaN))),
          target: { value: 3, label: 'target 3x' },
        }]
      : []),
  ]);
}
