/**
 * decode(encode(records)) deep-equals the records for every file of ../shared/corpus/:
 * Loghub `*_structured*.csv` in CSV mode (body = Content, severity from Level, columns as
 * attributes), every other file as plain text (one body per line, .gz gunzipped).
 * One encoder and one decoder per file, batches of 512, so state carries across batches.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, corpusDir, skipReason } from '../helpers/corpus';
import { buildRecords, readBenchInput } from '../../src/cli/bench';
import { StatefulEncoder } from '../../src/encoder/stateful-encoder';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { toLogRecordData } from '../../src/encoder/record-convert';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

if (!corpusAvailable) console.warn(skipReason);

describe.skipIf(!corpusAvailable)('lossless on every corpus file', () => {
  const files = corpusAvailable ? listFiles(corpusDir) : [];
  it.each(files.map((f) => [relative(corpusDir, f), f]))('%s', (_name, file) => {
    const { text, name } = readBenchInput(file);
    const records = buildRecords(text, name).map((r) => toLogRecordData(r as unknown as ReadableLogRecord));
    expect(records.length).toBeGreaterThan(0);
    const enc = new StatefulEncoder();
    const dec = new StatefulDecoder();
    let mismatches = 0;
    for (let i = 0; i < records.length; i += 512) {
      const batch = records.slice(i, i + 512);
      const decoded = dec.decode(enc.encode(batch).payload);
      expect(decoded.length).toBe(batch.length);
      for (let k = 0; k < batch.length; k++) {
        if (!isDeepStrictEqual(decoded[k], batch[k])) {
          if (mismatches++ === 0) expect(decoded[k]).toStrictEqual(batch[k]);
        }
      }
    }
    expect(mismatches).toBe(0);
    expect(enc.stats().fallbacks).toBe(0);
  });
});
