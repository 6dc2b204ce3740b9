import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { toLogRecordData } from '../../src/encoder/record-convert';
import { toExportRuns } from '../../src/exporter/export-runs';
import { estimateRecordBytes } from '../../src/exporter/split-by-size';

/** Real SDK records, captured from a provider. */
function emit(bodies: unknown[], attributes: Record<string, string | number> = {}): ReadableLogRecord[] {
  const out: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = { onEmit: (r) => { out.push(r); }, forceFlush: async () => {}, shutdown: async () => {} };
  const logger = new LoggerProvider({ processors: [capture] }).getLogger('runs');
  for (const body of bodies) logger.emit({ body: body as string, attributes });
  return out;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

describe('toExportRuns', () => {
  it('keeps an export that fits as one run, converted in order, with the exact UTF-8 size of its string bodies', () => {
    // arrange: ASCII, 2-, 3- and 4-byte characters, a lone surrogate (3 bytes as U+FFFD), non-string bodies
    const bodies = ['plain', 'é', '€ 5', '😀', 'x\uD800y', { k: 'v' }, 42, new Uint8Array([1, 2, 3])];
    const logs = emit(bodies, { a: 'b' });
    // act
    const runs = toExportRuns(logs, 1 << 20);
    // assert
    expect(runs).toHaveLength(1);
    expect(runs[0]!.records).toEqual(logs.map(toLogRecordData));
    const strings = bodies.filter((b): b is string => typeof b === 'string');
    expect(runs[0]!.bodyBytes).toBe(strings.reduce((n, s) => n + utf8(s), 0));
    expect(runs[0]!.bodyBytes).toBe(5 + 2 + 5 + 4 + 5);
  });

  it('cuts an export over the limit into consecutive runs under it, each with its own body bytes', () => {
    // arrange: 10 bodies of ~1 KB (with non-ASCII), a limit that holds 3 of them
    const bodies = Array.from({ length: 10 }, (_, i) => `${i} ${'é'.repeat(500)}`);
    const logs = emit(bodies);
    const one = estimateRecordBytes(toLogRecordData(logs[0]!), utf8(bodies[0]!));
    // act
    const runs = toExportRuns(logs, one * 3 + 1);
    // assert
    expect(runs.map((r) => r.records.length)).toEqual([3, 3, 3, 1]);
    expect(runs.flatMap((r) => r.records.map((x) => x.body))).toEqual(bodies);
    runs.forEach((run) => expect(run.bodyBytes).toBe(run.records.reduce((n, r) => n + utf8(r.body as string), 0)));
  });

  it('sends a record larger than the limit alone', () => {
    const bodies = ['a', 'x'.repeat(5000), 'b'];
    const runs = toExportRuns(emit(bodies), 1000);
    expect(runs.map((r) => r.records.map((x) => x.body))).toEqual([['a'], ['x'.repeat(5000)], ['b']]);
    expect(runs.map((r) => r.bodyBytes)).toEqual([1, 5000, 1]);
  });

  it('returns no run for an empty export', () => {
    expect(toExportRuns([], 1000)).toEqual([]);
  });
});
