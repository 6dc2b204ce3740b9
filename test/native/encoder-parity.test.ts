/**
 * The encoder must produce identical wire bytes whichever tokenizer it uses: the same records
 * through a `tokenizer: 'js'` and a `tokenizer: 'native'` StatefulEncoder, batch by batch
 * (state carried across batches), on every Loghub-2k file and the large Apache file.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import type { LogRecordData } from '../../src/encoder/log-record';
import { StatefulEncoder } from '../../src/encoder/stateful-encoder';
import {
  corpusAvailable,
  largeApacheAvailable,
  largeApacheGz,
  LOGHUB_SYSTEMS,
  loghubFiles,
  skipReason,
} from '../helpers/corpus';
import { binding, nativeSkipReason } from './helpers';

if (!binding) console.warn(nativeSkipReason);
if (!corpusAvailable) console.warn(skipReason);

function records(text: string, system: string): LogRecordData[] {
  const resource = { attributes: { 'service.name': system } };
  const scope = { name: `loghub.${system}` };
  return text.split('\n').map((body, i) => ({
    hrTime: [1_764_000_000 + Math.floor(i / 1000), (i % 1000) * 1_000_000] as [number, number],
    hrTimeObserved: [1_764_000_000 + Math.floor(i / 1000), (i % 1000) * 1_000_000 + 1] as [number, number],
    severityNumber: 9,
    body,
    attributes: {},
    droppedAttributesCount: 0,
    resource,
    scope,
  }));
}

/** Index of the first batch whose payload or state changes differ, or -1. */
function firstDifferentBatch(recs: LogRecordData[], batch: number): number {
  const js = new StatefulEncoder({ tokenizer: 'js' });
  const native = new StatefulEncoder({ tokenizer: 'native' });
  expect(native.tokenizerReason).toMatch(/^tokenizer: native/);
  for (let i = 0, b = 0; i < recs.length; i += batch, b++) {
    const chunk = recs.slice(i, i + batch);
    const a = js.encode(chunk);
    const n = native.encode(chunk);
    if (!Buffer.from(a.payload).equals(Buffer.from(n.payload)) || a.stateChanges.length !== n.stateChanges.length) return b;
  }
  return -1;
}

describe.skipIf(!binding || !corpusAvailable)('encoder wire bytes: js vs native tokenizer', () => {
  it('identical on every Loghub-2k file (batches of 100 and 1000)', () => {
    for (const system of LOGHUB_SYSTEMS) {
      const recs = records(readFileSync(loghubFiles(system).log, 'utf8'), system);
      expect([system, firstDifferentBatch(recs, 100)]).toEqual([system, -1]);
      expect([system, firstDifferentBatch(recs, 1000)]).toEqual([system, -1]);
    }
  });

  it.skipIf(!largeApacheAvailable)('identical on the large Apache file (batches of 512)', () => {
    const recs = records(gunzipSync(readFileSync(largeApacheGz)).toString('utf8'), 'Apache');
    expect(firstDifferentBatch(recs, 512)).toBe(-1);
  });
});
