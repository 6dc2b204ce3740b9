/**
 * Splits an export into batches the transport will take: it refuses (and counts as
 * dropped) a compressed batch above `maxBatchBytes`, so a few megabyte bodies must not take
 * a whole 512-record export down with them. Sizes are estimates of the encoded size before
 * compression (always above it for text, so a run under the limit stays under it).
 */
import type { LogRecordData } from '../encoder/log-record';

/** Fixed per-record allowance (times, ids, references) plus per-attribute allowance. */
const RECORD_OVERHEAD = 64;
const ATTRIBUTE_OVERHEAD = 48;
const OTHER_BODY = 256;

/** Estimated encoded bytes of one record; `bodyBytes` is the UTF-8 size of a string body. */
export function estimateRecordBytes(r: LogRecordData, bodyBytes: number): number {
  let n = RECORD_OVERHEAD;
  const body = r.body;
  if (typeof body === 'string') n += bodyBytes;
  else if (body instanceof Uint8Array) n += body.byteLength;
  else if (body !== undefined && body !== null && typeof body === 'object') n += OTHER_BODY;
  // for-in, not Object.keys/values: no two arrays per record (attributes are plain objects)
  const attrs = r.attributes;
  for (const k in attrs) {
    n += ATTRIBUTE_OVERHEAD;
    const v = attrs[k];
    if (typeof v === 'string') n += v.length * 3;
  }
  return n;
}

/** Consecutive runs of `records` whose estimated size stays under `maxBytes`; a bigger record goes alone. */
export function splitBySize(records: LogRecordData[], sizes: number[], maxBytes: number): LogRecordData[][] {
  const out: LogRecordData[][] = [];
  let run: LogRecordData[] = [];
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const size = sizes[i]!;
    if (run.length > 0 && bytes + size > maxBytes) {
      out.push(run);
      run = [];
      bytes = 0;
    }
    run.push(records[i]!);
    bytes += size;
  }
  if (run.length > 0) out.push(run);
  return out;
}
