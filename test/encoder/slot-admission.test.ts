/**
 * Dictionary admission per value slot: a slot whose new values keep missing the dictionary
 * (ids, UUIDs) stops counting their sightings for the rest of the batch, but still looks
 * them up, and counts again after a hit or in the next batch. Every record decodes exactly.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LogRecordData } from '../../src/encoder/log-record';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulEncoder } from '../../src/encoder/stateful-encoder';

const resource = { attributes: { 'service.name': 'svc' } };
const scope = { name: 'test' };

function record(i: number, who: string): LogRecordData {
  return { hrTime: [1_700_000_000, i], hrTimeObserved: [1_700_000_000, i], attributes: {}, droppedAttributesCount: 0, resource, scope, body: `session opened for user ${who} by sshd` };
}

/** A letters-only word unique per i (its shape is itself: no digit runs). */
function word(i: number, prefix: string): string {
  let s = prefix;
  for (let n = i + 1; n > 0; n = Math.floor(n / 26)) s += String.fromCharCode(97 + (n % 26));
  return s;
}

/** Encodes one batch, checks it decodes exactly, and returns the texts it put in the dictionary. */
function batch(enc: StatefulEncoder, dec: StatefulDecoder, records: LogRecordData[]): string[] {
  const encoded = enc.encode(records);
  const texts: string[] = [];
  for (const d of encoded.stateChanges) {
    if (d.kind?.$case === 'dictEntryDefine' && d.kind.dictEntryDefine.value?.$case === 'text') texts.push(d.kind.dictEntryDefine.value.text);
  }
  const out = dec.decode(encoded.payload);
  expect(out.length).toBe(records.length);
  for (let k = 0; k < records.length; k++) if (!isDeepStrictEqual(out[k], records[k])) expect(out[k]).toEqual(records[k]);
  return texts;
}

describe('per-slot dictionary admission', () => {
  const repeated = 'administrator';

  it('after a run of unique values a slot stops admitting for the batch, and admits again in the next one', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    const records: LogRecordData[] = [];
    for (let i = 0; i < 100; i++) records.push(record(i, word(i, 'uniqueuser')));
    // seen 5 times (not in a row: a repeat of the previous value never reaches the
    // dictionary), but only after the unique run: not admitted in this batch
    for (let i = 0; i < 5; i++) records.push(record(100 + 2 * i, repeated), record(101 + 2 * i, word(i, 'laterunique')));
    expect(batch(enc, dec, records)).not.toContain(repeated);
    // a new batch counts again: the second sighting admits it
    const next = [record(200, 'first'), record(201, repeated), record(202, 'second'), record(203, repeated)];
    expect(batch(enc, dec, next)).toContain(repeated);
  });

  it('values already in the dictionary are still found during a run of misses, and a hit resumes admission', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    const known = 'operatoroncall';
    // (the template's first line has no slot yet: the values start with the second)
    expect(batch(enc, dec, [record(0, 'xfirstuser'), record(1, 'xseconduser'), record(2, known), record(3, 'xthirduser'), record(4, known)])).toContain(known);
    const records: LogRecordData[] = [];
    for (let i = 0; i < 100; i++) records.push(record(10 + i, word(i, 'uniqueuser')));
    records.push(record(110, known)); // a hit: counting resumes
    records.push(record(111, repeated), record(112, 'yotheruser'), record(113, repeated));
    const texts = batch(enc, dec, records);
    expect(texts).toContain(repeated);
    expect(texts).not.toContain(known); // referenced, not defined again
  });

  it('without a run of misses a value is admitted on its second sighting (unchanged)', () => {
    const enc = new StatefulEncoder({ tokenizer: 'js' });
    const dec = new StatefulDecoder();
    const records: LogRecordData[] = [];
    for (let i = 0; i < 20; i++) records.push(record(i, word(i, 'uniqueuser')));
    records.push(record(20, repeated), record(21, 'zotheruser'), record(22, repeated));
    expect(batch(enc, dec, records)).toContain(repeated);
  });
});
