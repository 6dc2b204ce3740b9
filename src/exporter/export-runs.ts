/**
 * One export's records, converted to the plain record model and cut into the runs the
 * encoder gets (see ./split-by-size), in one pass over the records: the per-record work
 * here is paid for every log line, so there are no per-record arrays or closures, and the
 * size split only looks at records one by one when the whole export does not fit.
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogRecordData } from '../encoder/log-record';
import { toLogRecordData } from '../encoder/record-convert';
import { estimateRecordBytes, splitBySize } from './split-by-size';

/** Consecutive records to encode as one batch. */
export interface ExportRun {
  records: LogRecordData[];
  /** UTF-8 bytes of the run's string bodies (the compression-ratio metric's numerator). */
  bodyBytes: number;
}

/** UTF-8 size of a string body; 0 for any other body. */
function stringBodyBytes(r: LogRecordData): number {
  return typeof r.body === 'string' ? Buffer.byteLength(r.body, 'utf8') : 0;
}

/**
 * Converts `logs` (in order) and cuts them into runs whose estimated size stays under
 * `maxRunBytes` (a bigger record goes alone); no run for no records. Throws what the
 * conversion throws.
 */
export function toExportRuns(logs: readonly ReadableLogRecord[], maxRunBytes: number): ExportRun[] {
  const records: LogRecordData[] = [];
  let bodyBytes = 0;
  let estimate = 0;
  for (let i = 0; i < logs.length; i++) {
    const r = toLogRecordData(logs[i]!);
    records.push(r);
    const b = stringBodyBytes(r);
    bodyBytes += b;
    estimate += estimateRecordBytes(r, b);
  }
  if (records.length === 0) return [];
  if (estimate <= maxRunBytes) return [{ records, bodyBytes }];
  // Rare (an export of megabytes): size each record again and split.
  const sizes: number[] = [];
  for (let i = 0; i < records.length; i++) sizes.push(estimateRecordBytes(records[i]!, stringBodyBytes(records[i]!)));
  return splitBySize(records, sizes, maxRunBytes).map((run) => {
    let runBytes = 0;
    for (let i = 0; i < run.length; i++) runBytes += stringBodyBytes(run[i]!);
    return { records: run, bodyBytes: runBytes };
  });
}
