/**
 * Attribute sets: a set of primitive values that repeats becomes one dictionary entry; sets
 * made unique by high-cardinality values (request ids) stop being looked up for a while, and
 * a set that starts repeating afterwards is still found. Every record decodes exactly.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LogRecordData } from '../../src/encoder/log-record';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulEncoder } from '../../src/encoder/stateful-encoder';

const resource = { attributes: { 'service.name': 'svc' } };
const scope = { name: 'test' };

function record(i: number, attributes: Record<string, string | number | boolean>): LogRecordData {
  return { hrTime: [1_700_000_000, i], hrTimeObserved: [1_700_000_000, i], attributes, droppedAttributesCount: 0, resource, scope, body: `event ${i % 7}` };
}

/** Round-trips `records` in batches of 64; returns how many attribute-set entries were defined. */
function roundTrip(enc: StatefulEncoder, dec: StatefulDecoder, records: LogRecordData[]): number {
  let setDefines = 0;
  for (let i = 0; i < records.length; i += 64) {
    const batch = records.slice(i, i + 64);
    const encoded = enc.encode(batch);
    for (const d of encoded.stateChanges) {
      if (d.kind?.$case === 'dictEntryDefine' && d.kind.dictEntryDefine.value?.$case === 'attributes') setDefines++;
    }
    const out = dec.decode(encoded.payload);
    expect(out.length).toBe(batch.length);
    for (let k = 0; k < batch.length; k++) if (!isDeepStrictEqual(out[k], batch[k])) expect(out[k]).toEqual(batch[k]);
  }
  return setDefines;
}

describe('attribute sets', () => {
  it('unique sets, then a repeating one under the same keys: lossless, and the repeat gets a dictionary entry', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    const unique = Array.from({ length: 3000 }, (_, i) => record(i, { 'request.id': `req-${i}`, 'http.route': '/a', ok: i % 2 === 0 }));
    expect(roundTrip(enc, dec, unique)).toBe(0);
    const repeating = Array.from({ length: 3000 }, (_, i) => record(i, { 'request.id': 'req-fixed', 'http.route': '/b', ok: true }));
    // found again within the longest skip, not never
    expect(roundTrip(enc, dec, repeating)).toBe(1);
  });

  it('interleaved call sites keep their own set state: the repeating sets get one entry each, the unique ones none', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    let seed = 7;
    const records = Array.from({ length: 6000 }, (_, i) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const site = seed % 3;
      // A: one set over and over; B: unique request ids throughout; C (same first key and
      // length as A): unique, then one set
      if (site === 0) return record(i, { 'db.system': 'pg', 'db.pool': 4 });
      if (site === 1) return record(i, { 'request.id': `req-${i}`, 'http.route': '/a', ok: i % 2 === 0 });
      return record(i, { 'db.system': i < 3000 ? `j-${i}` : 'nightly', queue: 'q1' });
    });
    expect(roundTrip(enc, dec, records)).toBe(2);
  });

  it('more key lists than the encoder keeps state for, cycling: lossless, and a repeating set is still found', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    const records = Array.from({ length: 4000 }, (_, i) => record(i, i % 2 === 0 ? { [`k${(i >> 1) % 300}`]: i, v: 'x' } : { fixed: 'set', n: 1 }));
    expect(roundTrip(enc, dec, records)).toBe(1);
  });

  it('alternating key lists and values, -0, NaN and booleans: lossless', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    const values = [0, -0, NaN, 1.5, 'x', '', true, false];
    const records = Array.from({ length: 2000 }, (_, i) =>
      record(i, i % 3 === 0 ? { a: values[i % values.length]!, b: 'same' } : { a: values[(i >> 1) % values.length]!, c: i % 5 }),
    );
    roundTrip(enc, dec, records);
  });
});
