/**
 * decode(encode(x)) deep-equals x, for generated records (every AnyValue kind, lone
 * surrogates, uint64-edge timestamps, JSON bodies, repeated and one-off attributes) over
 * multi-batch streams, with default limits and with tiny limits that force constant
 * pattern and dictionary eviction. Also: a stream restarted from a snapshot of the
 * state changes decodes the following batches.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatefulEncoder, encodeDatumSequence, type EncoderOptions } from '../../src/encoder/stateful-encoder';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { Datum, DatumSequence } from '../../src/proto/otel_stateful_logs/v1/stateful_logs';
import type { LogRecordData } from '../../src/encoder/log-record';
import { batches } from './roundtrip-arbitraries';

const TINY: EncoderOptions = {
  patterns: { maxPatterns: 3, maxBytes: 4096, gracePeriodMs: 0 },
  dictionary: { maxEntries: 4, maxBytes: 4096, admitAfter: 1 },
};

function roundTrip(stream: LogRecordData[][], options: EncoderOptions): void {
  const enc = new StatefulEncoder(options);
  const dec = new StatefulDecoder();
  for (const batch of stream) {
    const encoded = enc.encode(batch);
    expect(encoded.recordCount).toBe(batch.length);
    const decoded = dec.decode(encoded.payload);
    expect(decoded.length).toBe(batch.length);
    for (let i = 0; i < batch.length; i++) {
      if (!isDeepStrictEqual(decoded[i], batch[i])) {
        // toStrictEqual prints a readable diff
        expect(decoded[i]).toStrictEqual(batch[i]);
      }
    }
  }
}

describe('stateful round trip (property)', () => {
  it('is lossless with default limits over multi-batch streams', () => {
    fc.assert(fc.property(batches, (stream) => roundTrip(stream, {})), { numRuns: 150 });
  });

  it('is lossless under tiny limits that evict patterns and dictionary entries constantly', () => {
    fc.assert(
      fc.property(batches, (stream) => {
        roundTrip(stream, TINY);
      }),
      { numRuns: 150 },
    );
    // the limits really bite: deletes are sent in-band
    const enc = new StatefulEncoder(TINY);
    const sample = fc.sample(batches, { numRuns: 20, seed: 42 }).flat();
    for (const b of sample) enc.encode(b);
    const st = enc.stats();
    expect(st.dictDeletes).toBeGreaterThan(0);
    expect(st.patternDeletes).toBeGreaterThan(0);
    expect(st.dictEntries).toBeLessThanOrEqual(4);
    expect(st.patterns).toBeLessThanOrEqual(3);
  });

  it('stateChanges are exactly the define and delete datums of the payload, as decoded', () => {
    fc.assert(
      fc.property(batches, (stream) => {
        const enc = new StatefulEncoder(TINY);
        for (const b of stream) {
          const encoded = enc.encode(b);
          const onWire = DatumSequence.decode(encoded.payload).data.filter((d) => d.kind !== undefined && d.kind.$case !== 'log');
          expect(isDeepStrictEqual(encoded.stateChanges, onWire)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('restarts from a snapshot of state changes (transport replay contract)', () => {
    fc.assert(
      fc.property(batches, batches, (first, second) => {
        const enc = new StatefulEncoder(TINY);
        // apply state changes to a snapshot as the transport does: defines upsert, deletes remove
        const patterns = new Map<number, Datum>();
        const dict = new Map<number, Datum>();
        for (const b of first) {
          for (const d of enc.encode(b).stateChanges) {
            const k = d.kind!;
            if (k.$case === 'patternDefine') patterns.set(k.patternDefine.patternId, d);
            else if (k.$case === 'patternDelete') patterns.delete(k.patternDelete.patternId);
            else if (k.$case === 'dictEntryDefine') dict.set(k.dictEntryDefine.id, d);
            else if (k.$case === 'dictEntryDelete') dict.delete(k.dictEntryDelete.id);
          }
        }
        const dec = new StatefulDecoder();
        expect(dec.decode(encodeDatumSequence([...patterns.values(), ...dict.values()]))).toEqual([]);
        expect(dec.patternCount).toBe(patterns.size);
        expect(dec.dictEntryCount).toBe(dict.size);
        for (const b of second) {
          const decoded = dec.decode(enc.encode(b).payload);
          expect(isDeepStrictEqual(decoded, b)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('stateful round trip (edge cases)', () => {
  const base = (body: LogRecordData['body'], extra: Partial<LogRecordData> = {}): LogRecordData => ({
    hrTime: [1_700_000_000, 1],
    hrTimeObserved: [1_700_000_000, 2],
    ...(body !== undefined ? { body } : {}),
    attributes: {},
    droppedAttributesCount: 0,
    resource: { attributes: { 'service.name': 's' } },
    scope: { name: 'x' },
    ...extra,
  });

  it('carries empty and megabyte bodies, and huge attribute maps', () => {
    const big = 'x'.repeat(1 << 20) + ' 42 ' + 'y'.repeat(1000);
    const attrs: Record<string, number | string> = {};
    for (let i = 0; i < 5000; i++) attrs[`k${i}`] = i % 3 === 0 ? i : `v${i}`;
    const recs = [base(''), base(big), base('a b 1'), base('a b 2', { attributes: attrs }), base(undefined)];
    roundTrip([recs, recs], {});
  });

  it('keeps timestamps exact at the edges of uint64 and across large jumps', () => {
    const times: [number, number][] = [
      [0, 0], [18_446_744_073, 709_551_615 % 1e9], [0, 999_999_999], [9_000_001, 0], [18_446_744_073, 0], [1, 1], [1, 0],
    ];
    const recs = times.map((t, i) => base(`t ${i}`, { hrTime: t, hrTimeObserved: times[(i + 3) % times.length]! }));
    roundTrip([recs], {});
  });

  it('carries the full JSON body byte-exactly, and non-canonical JSON raw', () => {
    const bodies = [
      '{"level":"info","msg":"user 42 logged in","ms":12,"ok":true,"n":null,"nested":{"a":[1,2.5,"x"]}}',
      '{"level":"info","msg":"user 43 logged in","ms":13,"ok":false,"n":null,"nested":{"a":[]}}',
      '{ "msg": "spaced" }',
      '{"msg":"dup","msg":"dup2"}',
      '{"a":1.0}',
      '{"2":"x","1":"y"}',
      '{"msg":"\\ud800 lone"}',
      '{"__proto__":{"x":1},"msg":"proto 1"}',
    ];
    roundTrip([bodies.map((b) => base(b))], {});
    const enc = new StatefulEncoder();
    enc.encode(bodies.map((b) => base(b)));
    expect(enc.stats().jsonBodies).toBeGreaterThanOrEqual(3);
  });

  it('falls back (counted, still lossless) for input the compact path cannot carry', () => {
    const odd = [
      base('x', { hrTime: [1.5, -3] as [number, number] }),
      base('x', { severityNumber: NaN }),
      base('x', { spanContext: { traceId: 'NOT-HEX', spanId: 'x', traceFlags: 1 } }),
      base('x', { droppedAttributesCount: -1 }),
      base('x', { severityText: 'bad \ud800' }),
      base('x', { attributes: { a: 1 }, severityText: undefined }),
    ];
    const enc = new StatefulEncoder();
    const dec = new StatefulDecoder();
    const out = dec.decode(enc.encode(odd).payload);
    expect(out).toHaveLength(odd.length);
    for (let i = 0; i < odd.length - 1; i++) expect(isDeepStrictEqual(out[i], odd[i])).toBe(true);
    expect(enc.stats().fallbacks).toBe(5);
    expect(enc.stats().fallbackReasons).toMatchObject({ time: 1, 'severity-number': 1, 'span-context': 1, 'dropped-count': 1, 'severity-text': 1 });
  });

  it('-0 seconds or nanos take the fallback path; zero and whole-second times stay compact', () => {
    const times: [number, number][] = [[-0, 5], [5, -0], [0, 0], [1_700_000_000, 0], [1_700_000_000, 999_999_999]];
    const recs = times.map((t) => base('x', { hrTime: t, hrTimeObserved: t }));
    const enc = new StatefulEncoder();
    const out = new StatefulDecoder().decode(enc.encode(recs).payload);
    expect(enc.stats().fallbacks).toBe(2);
    expect(enc.stats().fallbackReasons).toMatchObject({ time: 2 });
    for (let i = 0; i < recs.length; i++) {
      expect(Object.is(out[i]!.hrTime[0], times[i]![0])).toBe(true);
      expect(Object.is(out[i]!.hrTime[1], times[i]![1])).toBe(true);
    }
  });

  it('never throws on values AnyValue cannot hold: cycles and deep nesting are cut and counted', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const weird = [
      base(cyclic as never),
      base('x', { attributes: { deep: deep as never, f: (() => 1) as never, b: BigInt(5) as never } }),
    ];
    const enc = new StatefulEncoder();
    const out = new StatefulDecoder().decode(enc.encode(weird).payload);
    expect(out).toHaveLength(2);
    const st = enc.stats();
    expect(st.truncatedValues).toBeGreaterThanOrEqual(2);
    expect(st.coercedValues).toBe(2);
    expect(out[1]!.attributes['b']).toBe('5');
  });

  it('recovers from an encoder error mid-record: the batch delta state restarts on both ends', () => {
    const throwingOnce = (): Record<string, unknown> => {
      let calls = 0;
      const attrs: Record<string, unknown> = { a: 'x' };
      Object.defineProperty(attrs, 'b', {
        enumerable: true,
        get() {
          if (calls++ === 0) throw new Error('getter failed');
          return 'y';
        },
      });
      return attrs;
    };
    const alwaysThrowing: Record<string, unknown> = { a: 'x' };
    Object.defineProperty(alwaysThrowing, 'b', { enumerable: true, get: () => { throw new Error('always'); } });
    const recs = [
      base('user 1 ok from 10.0.0.1', { attributes: { a: 'x', b: 'y' } }),
      base('user 2 ok from 10.0.0.2', { attributes: throwingOnce() as never }),
      base('user 3 ok from 10.0.0.3', { attributes: { a: 'x', b: 'z' } }),
      base('user 4 ok from 10.0.0.4', { attributes: alwaysThrowing as never }),
      base('user 5 ok from 10.0.0.5', { attributes: { a: 'x', b: 'z' } }),
    ];
    const enc = new StatefulEncoder();
    const out = new StatefulDecoder().decode(enc.encode(recs).payload);
    const st = enc.stats();
    expect(st.fallbackReasons['internal-error']).toBe(2);
    expect(st.fallbackReasons['dropped']).toBe(1);
    expect(out).toHaveLength(4);
    expect(out[1]!.attributes).toEqual({ a: 'x', b: 'y' });
    expect(isDeepStrictEqual(out[2], recs[2])).toBe(true);
    expect(isDeepStrictEqual(out[3], recs[4])).toBe(true);
  });

  it('never confuses key lists or attribute sets whose keys hold the separators', () => {
    const sets = [
      { 'a\u0000b': 'x\u0001sy' },
      { a: 'x', b: 'y' },
      { 'a\u0000b': 'x\u0001sy' },
      { a: 'x', b: 'y' },
      { '\u0001["a"]': 1 },
      { 'a\u0001': 1 },
      { a: 'x', b: 'y' },
    ];
    const recs = [...sets, ...sets, ...sets].map((attributes, i) => base(`k ${i}`, { attributes: attributes as never }));
    roundTrip([recs, recs], { dictionary: { admitAfter: 1 } });
  });

  it('writes payloads the generated ts-proto code decodes too', () => {
    const enc = new StatefulEncoder();
    const recs = [base('user 1 ok', { attributes: { a: 'x' } }), base('user 2 ok', { attributes: { a: 'y' } }), base({ k: [1, 'two'] })];
    const seq = DatumSequence.decode(enc.encode(recs).payload);
    const logs = seq.data.filter((d) => d.kind?.$case === 'log');
    expect(logs).toHaveLength(3);
    expect(seq.data.some((d) => d.kind?.$case === 'patternDefine')).toBe(true);
  });
});
