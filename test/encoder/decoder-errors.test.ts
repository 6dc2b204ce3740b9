/**
 * The decoder rejects bad frames with a DecodeError (kind says why) and never crashes:
 * undefined ids, broken limits, malformed bytes, random bytes, and mutations of valid
 * frames.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatefulEncoder, encodeDatumSequence } from '../../src/encoder/stateful-encoder';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { DecodeError } from '../../src/encoder/errors';
import type { LogRecordData } from '../../src/encoder/log-record';
import { batches } from './roundtrip-arbitraries';
import { DatumSequence } from '../../src/proto/otel_stateful_logs/v1/stateful_logs';

const rec = (body: string, attributes: Record<string, string> = {}): LogRecordData => ({
  hrTime: [1_700_000_000, 5],
  hrTimeObserved: [1_700_000_000, 5],
  body,
  attributes,
  droppedAttributesCount: 0,
  resource: { attributes: { 'service.name': 's' } },
  scope: { name: 'x' },
});

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

/** Only DecodeError (or success) is allowed out of decode. */
function decodeSafely(dec: StatefulDecoder, bytes: Uint8Array): void {
  try {
    dec.decode(bytes);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
  }
}

describe('StatefulDecoder errors', () => {
  it('rejects a log that references a pattern or dictionary entry the stream never defined', () => {
    const enc = new StatefulEncoder();
    enc.encode([rec('user 1 logged in', { a: 'x' }), rec('user 2 logged in', { a: 'x' })]);
    // the second batch only references state defined by the first
    const second = enc.encode([rec('user 3 logged in', { a: 'x' })]);
    const e = decodeError(() => new StatefulDecoder().decode(second.payload));
    expect(e.kind).toBe('unknown-ref');
    expect(e.message).toMatch(/undefined (pattern|dictionary entry) \d+/);
  });

  it('rejects a hex piece whose number has more digits than the piece', () => {
    const enc = new StatefulEncoder();
    const ids = ['4b1241ee88', '0629a2adf1', '911fb28a29'];
    const frame = enc.encode(ids.map((id) => rec(`order ord_${id} updated`))).payload;
    // the frame decodes; then the last id's number is made one hex digit too wide
    expect(new StatefulDecoder().decode(frame).map((r) => r.body)).toEqual(ids.map((id) => `order ord_${id} updated`));
    const seq = DatumSequence.decode(frame);
    const logs = seq.data.filter((d) => d.kind?.$case === 'log').map((d) => (d.kind as { $case: 'log'; log: { shapes: string[]; nums: number[] } }).log);
    const last = logs[logs.length - 1]!;
    // the ids' shape is one hex piece (inline or as a dictionary text)
    const texts = seq.data.flatMap((d) => (d.kind?.$case === 'dictEntryDefine' && d.kind.dictEntryDefine.value?.$case === 'text' ? [d.kind.dictEntryDefine.value.text] : []));
    expect([...logs.flatMap((l) => l.shapes), ...texts]).toContain('ord_\u0005\u002a');
    last.nums[last.nums.length - 1] = 16 ** 10;
    const e = decodeError(() => new StatefulDecoder().decode(DatumSequence.encode(seq).finish()));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/does not fit its shape/);
  });

  it('rejects a delete of an undefined id', () => {
    const payload = encodeDatumSequence([{ kind: { $case: 'dictEntryDelete', dictEntryDelete: { id: 7 } } }]);
    expect(decodeError(() => new StatefulDecoder().decode(payload)).kind).toBe('unknown-ref');
    const p2 = encodeDatumSequence([{ kind: { $case: 'patternDelete', patternDelete: { patternId: 3 } } }]);
    expect(decodeError(() => new StatefulDecoder().decode(p2)).kind).toBe('unknown-ref');
  });

  it('enforces pattern, dictionary, state-size and values-per-log limits', () => {
    const defs = (n: number) =>
      encodeDatumSequence(
        Array.from({ length: n }, (_, i) => ({ kind: { $case: 'patternDefine' as const, patternDefine: { patternId: i + 1, literals: [`p${i} `, ''], wildcardKinds: [0] } } })),
      );
    expect(decodeError(() => new StatefulDecoder({ maxPatterns: 3 }).decode(defs(4))).kind).toBe('limit');
    expect(() => new StatefulDecoder({ maxPatterns: 4 }).decode(defs(4))).not.toThrow();
    const dict = encodeDatumSequence(
      Array.from({ length: 5 }, (_, i) => ({ kind: { $case: 'dictEntryDefine' as const, dictEntryDefine: { id: i + 1, value: { $case: 'text' as const, text: 'x'.repeat(100) } } } })),
    );
    expect(decodeError(() => new StatefulDecoder({ maxDictEntries: 4 }).decode(dict)).kind).toBe('limit');
    expect(decodeError(() => new StatefulDecoder({ maxStateBytes: 300 }).decode(dict)).kind).toBe('limit');
    const attrs: Record<string, string> = {};
    for (let i = 0; i < 50; i++) attrs[`k${i}`] = `v${i}`;
    const big = new StatefulEncoder().encode([rec('x', attrs)]);
    expect(decodeError(() => new StatefulDecoder({ maxValuesPerLog: 10 }).decode(big.payload)).kind).toBe('limit');
    expect(decodeError(() => new StatefulDecoder({ maxRecordsPerBatch: 1 }).decode(new StatefulEncoder().encode([rec('a'), rec('b')]).payload)).kind).toBe('limit');
  });

  it('rejects truncated and malformed frames', () => {
    const { payload } = new StatefulEncoder().encode([rec('user 1 logged in from 10.0.0.1', { a: 'b' })]);
    for (let cut = 1; cut < payload.length; cut++) decodeSafely(new StatefulDecoder(), payload.subarray(0, cut));
    expect(decodeError(() => new StatefulDecoder().decode(payload.subarray(0, payload.length - 1))).kind).toBe('malformed');
    expect(decodeError(() => new StatefulDecoder().decode(Uint8Array.of(0x0a, 0x05, 0x2a, 0x03, 0xff))).kind).toBe('malformed');
  });

  it('survives random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        decodeSafely(new StatefulDecoder(), bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives mutated valid frames (bit flips, byte changes, splices) across a stream', () => {
    fc.assert(
      fc.property(
        batches,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'xor', 'cut', 'dup')), { minLength: 1, maxLength: 4 }),
        (stream, mutations) => {
          const enc = new StatefulEncoder({ patterns: { maxPatterns: 3, gracePeriodMs: 0 }, dictionary: { maxEntries: 4, admitAfter: 1 } });
          const dec = new StatefulDecoder();
          for (const b of stream) {
            const bytes = enc.encode(b).payload.slice();
            if (bytes.length === 0) continue;
            let m: Uint8Array = bytes;
            for (const [pos, val, op] of mutations) {
              const i = pos % m.length;
              if (op === 'set') m[i] = val;
              else if (op === 'xor') m[i]! ^= 1 << (val % 8);
              else if (op === 'cut') m = m.subarray(0, i);
              else m = Uint8Array.from([...m.subarray(0, i), ...m.subarray(i, Math.min(m.length, i + 8)), ...m.subarray(i)]);
              if (m.length === 0) break;
            }
            decodeSafely(dec, m);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects hostile nesting depth without a stack overflow', () => {
    // AnyValue array nested 200k deep, hand-built: field 14 (typed body) of a Log
    let inner = Uint8Array.of(0x08, 0x01); // bool_value: true
    const wrap = (b: Uint8Array, tag: number) => {
      const len: number[] = [];
      let n = b.length;
      while (n > 127) {
        len.push((n & 127) | 128);
        n >>>= 7;
      }
      len.push(n);
      return Uint8Array.from([tag, ...len, ...b]);
    };
    for (let i = 0; i < 300; i++) inner = wrap(wrap(inner, 0x0a), 0x2a); // ArrayValue{values} inside AnyValue.array_value
    const log = wrap(inner, 0x72); // Log.typed_body = 14
    const datum = wrap(log, 0x2a); // Datum.log = 5
    const payload = wrap(datum, 0x0a); // DatumSequence.data = 1
    const e = decodeError(() => new StatefulDecoder({ maxDepth: 64 }).decode(payload));
    expect(e.kind).toBe('limit');
  });
});
