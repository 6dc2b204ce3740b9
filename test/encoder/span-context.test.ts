/**
 * Span contexts: lowercase hex ids of the right length and exactly the three fields take the
 * compact path (ids as bytes); anything else falls back whole. Both decode exactly.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LogRecordData } from '../../src/encoder/log-record';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulEncoder } from '../../src/encoder/stateful-encoder';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

function rec(i: number, spanContext: unknown): LogRecordData {
  return {
    hrTime: [1_700_000_000, i], hrTimeObserved: [1_700_000_000, i], attributes: {}, droppedAttributesCount: 0,
    resource: { attributes: {} }, scope: { name: 's' }, body: `line ${i}`, spanContext: spanContext as LogRecordData['spanContext'],
  };
}

describe('span context', () => {
  it('compact for canonical ids, whole for every other shape, lossless both ways', () => {
    const good = [
      { traceId: TRACE, spanId: SPAN, traceFlags: 1 },
      { traceId: 'f'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 },
      { traceId: '0123456789abcdef0123456789abcdef', spanId: 'fedcba9876543210', traceFlags: 0xffffffff },
    ];
    const bad = [
      { traceId: TRACE.toUpperCase(), spanId: SPAN, traceFlags: 1 }, // uppercase does not survive bytes
      { traceId: TRACE, spanId: SPAN.slice(1), traceFlags: 1 }, // odd length
      { traceId: TRACE + '00', spanId: SPAN, traceFlags: 1 }, // too long
      { traceId: TRACE.slice(0, 31) + 'g', spanId: SPAN, traceFlags: 1 }, // not hex
      { traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true }, // a fourth field
      { traceId: TRACE, spanId: SPAN }, // two fields
    ];
    const records = [...good, ...bad].map((sc, i) => rec(i, sc));
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const out = new StatefulDecoder().decode(enc.encode(records).payload);
    expect(out).toHaveLength(records.length);
    for (let i = 0; i < records.length; i++) if (!isDeepStrictEqual(out[i], records[i])) expect(out[i]).toStrictEqual(records[i]);
    expect(enc.stats().fallbackReasons['span-context']).toBe(bad.length);
    expect(enc.stats().fallbacks).toBe(bad.length);
  });
});
