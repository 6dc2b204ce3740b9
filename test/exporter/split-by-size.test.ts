import { describe, expect, it } from 'vitest';
import type { LogRecordData } from '../../src/encoder/log-record';
import { estimateRecordBytes, splitBySize } from '../../src/exporter/split-by-size';

const rec = (body: string): LogRecordData => ({
  hrTime: [1, 0], hrTimeObserved: [1, 0], body, attributes: {}, droppedAttributesCount: 0,
  resource: { attributes: {} }, scope: { name: 's' },
});

describe('splitBySize', () => {
  it('keeps an export whole when it fits', () => {
    const rs = [rec('a'), rec('b'), rec('c')];
    expect(splitBySize(rs, [10, 10, 10], 100)).toEqual([rs]);
  });

  it('cuts consecutive runs under the limit, in order', () => {
    const rs = ['a', 'b', 'c', 'd', 'e'].map(rec);
    expect(splitBySize(rs, [40, 40, 40, 40, 40], 100).map((run) => run.map((r) => r.body))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('puts a record larger than the limit alone', () => {
    const rs = ['a', 'huge', 'b'].map(rec);
    expect(splitBySize(rs, [10, 500, 10], 100).map((run) => run.map((r) => r.body))).toEqual([['a'], ['huge'], ['b']]);
  });

  it('estimates a string body by its UTF-8 size plus overhead', () => {
    const body = 'é'.repeat(1000);
    expect(estimateRecordBytes(rec(body), Buffer.byteLength(body))).toBeGreaterThan(2000);
  });
});
