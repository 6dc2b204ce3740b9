/**
 * `otel-stateful-logs bench [FILE|-] [--batch N] [--json]`: the same records through the
 * stateful encoder and through the official OTLP protobuf serializer
 * (`@opentelemetry/otlp-transformer`, gzip -6 per request, as the OTLP exporter sends),
 * with the round trip verified. Output keys are a contract (see BenchResult).
 *
 * Input: plain text (one body per line; synthetic increasing timestamps, 1 ms apart; one
 * resource `{service.name}`), or a Loghub `*_structured*.csv` (any .csv with a Content
 * column; other files are plain text) (body = Content, severity
 * from Level, the other log columns as attributes; LineId, EventId and EventTemplate are
 * the dataset's annotations, not log data, and are left out). `.gz` input is gunzipped.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import zlib from 'node:zlib';
import type { Command } from 'commander';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AnyValueMap, LogRecordData } from '../encoder/log-record';
import { StatefulEncoder } from '../encoder/stateful-encoder';
import { StatefulDecoder } from '../encoder/stateful-decoder';
import { toLogRecordData } from '../encoder/record-convert';
import { compress, decompress, initCompression, StreamCompressor, StreamDecompressor, type CodecName } from '../encoder/compression';
import { splitLines } from './patterns';
import { selectTokenizer, type TokenizerChoice } from '../encoder/tokenizer-select';

/** The `--json` object (keys are a contract). */
export interface BenchResult {
  records: number;
  batches: number;
  otlpBytes: number;
  otlpGzipBytes: number;
  statefulBytes: number;
  statefulCompressedBytes: number;
  patterns: number;
  dictEntries: number;
  encodeRecordsPerSec: number;
  decodeRecordsPerSec: number;
  otlpRecordsPerSec: number;
  lossless: boolean;
  /** Extra detail (not part of the contract). */
  codec: string;
  level: number;
  fallbacks: number;
  firstMismatch?: string;
  /** Which tokenizer the encoder used and why. */
  tokenizer?: string;
}

export interface BenchOptions {
  batch?: number;
  /** Timed runs per path; the fastest counts (default 3). */
  repeat?: number;
  /** Tokenizer of the encoder (default: OTEL_STATEFUL_LOGS_TOKENIZER, else auto). */
  tokenizer?: TokenizerChoice;
  codec?: BenchCodec;
  level?: number;
}

/**
 * Batch compression: a per-batch codec of src/encoder/compression.ts, or `deflate-stream`
 * (COMPRESSION_DEFLATE_STREAM: a context that persists across the stream's batches).
 */
export type BenchCodec = CodecName | 'deflate-stream';

/** Default, chosen from the corpus measurements (numbers in src/encoder/compression.ts). */
export const DEFAULT_BENCH_CODEC: BenchCodec = 'deflate-stream';
const DEFAULT_LEVEL: Record<BenchCodec, number> = { 'deflate-stream': 6, gzip: 6, zstd: 3, none: 0 };

// ---------------------------------------------------------------- input

/** Reads FILE (or stdin for "-"), gunzipping `.gz`. */
export function readBenchInput(file: string): { text: string; name: string } {
  let buf: Buffer = file === '-' ? readFileSync(0) : readFileSync(file);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  const name = file === '-' ? 'stdin' : basename(file).replace(/\.gz$/, '');
  return { text: buf.toString('utf8'), name };
}

/** RFC 4180 CSV: quoted fields, "" escapes, separators and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  let quoted = false;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.length === 0) {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const SEVERITY: Record<string, number> = {
  TRACE: 1, DEBUG: 5, INFO: 9, NOTICE: 10, WARN: 13, WARNING: 13, ERROR: 17, SEVERE: 17, ERR: 17,
  CRITICAL: 21, FATAL: 21, PANIC: 21, ALERT: 22, EMERG: 23, EMERGENCY: 23,
};

/** Plain SDK-shaped records (the OTLP serializer reads them as ReadableLogRecord). */
interface SdkShapedRecord {
  hrTime: [number, number];
  hrTimeObserved: [number, number];
  severityNumber?: number;
  severityText?: string;
  body?: string;
  attributes: AnyValueMap;
  droppedAttributesCount: number;
  resource: { attributes: AnyValueMap; schemaUrl?: string };
  instrumentationScope: { name: string; version?: string };
}

const BASE_SEC = 1_700_000_000;

function syntheticTime(i: number): [number, number] {
  // 1 ms apart
  return [BASE_SEC + Math.floor(i / 1000), (i % 1000) * 1_000_000];
}

/** Builds the records of a bench input. */
export function buildRecords(text: string, name: string): SdkShapedRecord[] {
  const resource = { attributes: { 'service.name': name.replace(/(_2k)?\.(log|csv|txt).*$/, '') } };
  const scope = { name: 'otel-stateful-logs-bench', version: '1' };
  const out: SdkShapedRecord[] = [];
  const rows = /\.csv$/i.test(name) ? parseCsv(text) : undefined;
  const header = rows?.[0] ?? [];
  const contentIdx = header.indexOf('Content');
  // a CSV with a Content column is a Loghub structured log; any other file is plain lines
  if (rows !== undefined && contentIdx >= 0) {
    const levelIdx = header.indexOf('Level');
    const skip = new Set(['LineId', 'Content', 'EventId', 'EventTemplate', 'Level']);
    const attrCols = header.map((h, i) => [h, i] as const).filter(([h]) => !skip.has(h));
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r]!;
      if (row.length === 1 && row[0] === '') continue;
      const t = syntheticTime(r - 1);
      const attributes: AnyValueMap = {};
      for (const [h, i] of attrCols) attributes[h] = row[i] ?? '';
      const rec: SdkShapedRecord = {
        hrTime: t, hrTimeObserved: [t[0], t[1]], body: row[contentIdx] ?? '', attributes,
        droppedAttributesCount: 0, resource, instrumentationScope: scope,
      };
      if (levelIdx >= 0) {
        const level = row[levelIdx] ?? '';
        rec.severityText = level;
        const sn = SEVERITY[level.toUpperCase()];
        if (sn !== undefined) rec.severityNumber = sn;
      }
      out.push(rec);
    }
    return out;
  }
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const t = syntheticTime(i);
    out.push({
      hrTime: t, hrTimeObserved: [t[0], t[1]], body: lines[i]!, attributes: {}, droppedAttributesCount: 0,
      resource, instrumentationScope: scope,
    });
  }
  return out;
}

// ---------------------------------------------------------------- measurement

type Serializer = { serializeRequest(records: ReadableLogRecord[]): Uint8Array | undefined };

async function loadOtlpSerializer(): Promise<Serializer> {
  try {
    const mod = (await import('@opentelemetry/otlp-transformer')) as unknown as { ProtobufLogsSerializer: Serializer };
    return mod.ProtobufLogsSerializer;
  } catch (err) {
    throw new Error(
      `bench needs @opentelemetry/otlp-transformer (a devDependency) for the OTLP side: npm install --save-dev @opentelemetry/otlp-transformer (${String(err)})`,
    );
  }
}

function describeMismatch(a: unknown, b: unknown): string {
  const s = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x))?.slice(0, 400);
  return `expected ${s(a)} got ${s(b)}`;
}

/** Runs the bench on prepared records. */
export async function runBench(records: SdkShapedRecord[], o: BenchOptions = {}): Promise<BenchResult> {
  const batchSize = Math.max(1, Math.floor(o.batch ?? 512));
  const codec = o.codec ?? DEFAULT_BENCH_CODEC;
  const level = o.level ?? DEFAULT_LEVEL[codec];
  await initCompression();
  const serializer = await loadOtlpSerializer();
  const sdk = records as unknown as ReadableLogRecord[];
  const batches: ReadableLogRecord[][] = [];
  for (let i = 0; i < sdk.length; i += batchSize) batches.push(sdk.slice(i, i + batchSize));

  // Both paths run `repeat` times, alternating, and each keeps its fastest run: on a shared
  // machine a single run mostly measures the neighbours. The first run also warms the JIT.
  const repeat = Math.max(1, Math.floor(o.repeat ?? 3));
  let otlpBytes = 0;
  let otlpGzipBytes = 0;
  let otlpMs = Infinity;
  let encodeMs = Infinity;
  let decodeMs = Infinity;
  let statefulBytes = 0;
  let statefulCompressedBytes = 0;
  let enc = new StatefulEncoder({ tokenizer: o.tokenizer });
  let inputs: LogRecordData[][] = [];
  let decoded: LogRecordData[][] = [];
  for (let run = 0; run < repeat; run++) {
    // OTLP: serialize + gzip each request
    otlpBytes = 0;
    otlpGzipBytes = 0;
    let t0 = performance.now();
    for (const b of batches) {
      const bytes = serializer.serializeRequest(b)!;
      otlpBytes += bytes.length;
      otlpGzipBytes += zlib.gzipSync(bytes, { level: 6 }).length;
    }
    otlpMs = Math.min(otlpMs, performance.now() - t0);

    // Stateful: convert + encode + compress, with a fresh encoder (stream state from zero)
    enc = new StatefulEncoder({ tokenizer: o.tokenizer });
    const streamC = codec === 'deflate-stream' ? new StreamCompressor(level) : undefined;
    const streamD = codec === 'deflate-stream' ? new StreamDecompressor() : undefined;
    const frames: Uint8Array[] = [];
    inputs = [];
    statefulBytes = 0;
    statefulCompressedBytes = 0;
    t0 = performance.now();
    for (const b of batches) {
      const data = b.map(toLogRecordData);
      const e = enc.encode(data);
      const z = streamC !== undefined ? streamC.compress(e.payload) : compress(codec as CodecName, e.payload, level);
      statefulBytes += e.payload.length;
      statefulCompressedBytes += z.length;
      frames.push(z);
      inputs.push(data);
    }
    encodeMs = Math.min(encodeMs, performance.now() - t0);

    // Decode: decompress + decode
    const dec = new StatefulDecoder();
    decoded = [];
    t0 = performance.now();
    for (let i = 0; i < frames.length; i++) {
      const raw = streamD !== undefined ? streamD.decompress(frames[i]!, 256 * 1024 * 1024) : decompress(codec as CodecName, frames[i]!, 256 * 1024 * 1024);
      decoded.push(dec.decode(raw));
    }
    decodeMs = Math.min(decodeMs, performance.now() - t0);
  }

  let lossless = true;
  let firstMismatch: string | undefined;
  for (let i = 0; i < inputs.length && lossless; i++) {
    const a = inputs[i]!;
    const b = decoded[i]!;
    if (a.length !== b.length) {
      lossless = false;
      firstMismatch = `batch ${i}: ${a.length} records in, ${b.length} out`;
      break;
    }
    for (let k = 0; k < a.length; k++) {
      if (!isDeepStrictEqual(a[k], b[k])) {
        lossless = false;
        firstMismatch = `batch ${i} record ${k}: ${describeMismatch(a[k], b[k])}`;
        break;
      }
    }
  }

  const st = enc.stats();
  const n = records.length;
  const perSec = (ms: number) => (ms > 0 ? Math.round((n * 1000) / ms) : 0);
  return {
    records: n,
    batches: batches.length,
    otlpBytes,
    otlpGzipBytes,
    statefulBytes,
    statefulCompressedBytes,
    patterns: st.patterns,
    dictEntries: st.dictEntries,
    encodeRecordsPerSec: perSec(encodeMs),
    decodeRecordsPerSec: perSec(decodeMs),
    otlpRecordsPerSec: perSec(otlpMs),
    lossless,
    codec,
    level,
    fallbacks: st.fallbacks,
    tokenizer: enc.tokenizerReason,
    ...(firstMismatch !== undefined ? { firstMismatch } : {}),
  };
}

function printTable(name: string, r: BenchResult): void {
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : 'n/a');
  const rows: [string, string][] = [
    ['input', name],
    ['records', String(r.records)],
    ['batches', String(r.batches)],
    ['OTLP bytes', String(r.otlpBytes)],
    ['OTLP+gzip bytes', String(r.otlpGzipBytes)],
    ['stateful bytes', `${r.statefulBytes} (x${ratio(r.statefulBytes, r.otlpBytes)} of OTLP)`],
    [`stateful+${r.codec}-${r.level} bytes`, `${r.statefulCompressedBytes} (x${ratio(r.statefulCompressedBytes, r.otlpGzipBytes)} of OTLP+gzip)`],
    ['patterns', String(r.patterns)],
    ['dictionary entries', String(r.dictEntries)],
    ['encode records/s', String(r.encodeRecordsPerSec)],
    ['decode records/s', String(r.decodeRecordsPerSec)],
    ['OTLP (serialize+gzip) records/s', String(r.otlpRecordsPerSec)],
    ['lossless', String(r.lossless) + (r.firstMismatch ? ` (${r.firstMismatch})` : '')],
    ['tokenizer', r.tokenizer ?? 'injected'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('encode records (plain text lines or a Loghub *_structured*.csv) statefully and as OTLP; compare bytes and speed, verify the round trip')
    .argument('[file]', 'input file (.gz accepted), or - for stdin', '-')
    .option('--batch <n>', 'records per batch', '512')
    .option('--json', 'print one JSON object')
    .option('--codec <codec>', 'batch compression: deflate-stream (a context across the stream\'s batches), zstd, gzip or none', DEFAULT_BENCH_CODEC)
    .option('--level <n>', 'compression level (default: deflate-stream 6, gzip 6, zstd 3)')
    .option('--repeat <n>', 'timed runs per path, the fastest counts', '3')
    .option('--tokenizer <impl>', 'tokenizer: native, js or auto (default: OTEL_STATEFUL_LOGS_TOKENIZER, else auto)')
    .action(async (file: string, opts: { batch: string; json?: boolean; codec: string; level?: string; repeat: string; tokenizer?: string }) => {
      const tokenizer = opts.tokenizer as TokenizerChoice | undefined;
      if (tokenizer !== undefined && !['native', 'js', 'auto'].includes(tokenizer)) throw new Error(`--tokenizer must be native, js or auto, got ${tokenizer}`);
      // a benchmark must not silently measure js when native was asked for
      if (tokenizer === 'native' && selectTokenizer({ tokenizer }).impl !== 'native') throw new Error(selectTokenizer({ tokenizer }).reason);
      const batch = Number(opts.batch);
      if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch must be a positive integer, got ${opts.batch}`);
      if (!['deflate-stream', 'zstd', 'gzip', 'none'].includes(opts.codec)) throw new Error(`--codec must be deflate-stream, zstd, gzip or none, got ${opts.codec}`);
      const level = opts.level === undefined ? undefined : Number(opts.level);
      const { text, name } = readBenchInput(file);
      const records = buildRecords(text, name);
      const repeat = Number(opts.repeat);
      if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got ${opts.repeat}`);
      const result = await runBench(records, { batch, codec: opts.codec as BenchCodec, level, tokenizer, repeat });
      if (opts.json) console.log(JSON.stringify(result));
      else printTable(name, result);
      if (!result.lossless) process.exitCode = 2;
    });
}
