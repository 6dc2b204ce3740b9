import { describe, expect, it } from 'vitest';
import { Datum, DatumSequence } from '../../src/proto/otel_stateful_logs/v1/stateful_logs';
import { AckedStateSnapshot } from '../../src/transport/snapshot';

const pdef = (id: number, lit: string): Datum => ({ kind: { $case: 'patternDefine', patternDefine: { patternId: id, literals: [lit], wildcardKinds: [] } } });
const pdel = (id: number): Datum => ({ kind: { $case: 'patternDelete', patternDelete: { patternId: id } } });
const ddef = (id: number, text: string): Datum => ({ kind: { $case: 'dictEntryDefine', dictEntryDefine: { id, value: { $case: 'text', text } } } });
const ddel = (id: number): Datum => ({ kind: { $case: 'dictEntryDelete', dictEntryDelete: { id } } });

describe('AckedStateSnapshot', () => {
  it('upserts by kind and id, deletes, and keeps pattern and dictionary ids apart', () => {
    const s = new AckedStateSnapshot();
    s.apply([pdef(1, 'a'), ddef(1, 'x'), pdef(2, 'b')]);
    // pattern 1 widened: same id, new content, now the latest definition
    s.apply([pdef(1, 'a2'), ddel(1), ddef(3, 'z'), pdel(2)]);
    expect(s.defines()).toEqual([pdef(1, 'a2'), ddef(3, 'z')]);
    expect(s.size).toBe(2);
  });

  it('encodes a DatumSequence of the live defines (the batch-0 payload)', () => {
    const s = new AckedStateSnapshot();
    s.apply([ddef(7, 'k'), pdef(4, 'p'), pdel(4)]);
    expect(DatumSequence.decode(s.encode()).data).toEqual([ddef(7, 'k')]);
  });

  it('ignores log datums', () => {
    const s = new AckedStateSnapshot();
    s.apply([{ kind: undefined }]);
    expect(s.size).toBe(0);
  });
});
