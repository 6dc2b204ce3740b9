/**
 * Attribute-to-tag mapping: `tagAttributes` values get a dictionary id at first sight,
 * `untaggedAttributes` values never enter the dictionary (neither as a value nor inside a
 * whole attribute set), and every record still decodes exactly.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyValueMap, LogRecordData } from '../../src/encoder/log-record';
import { StatefulDecoder } from '../../src/encoder/stateful-decoder';
import { StatefulEncoder, type EncoderOptions } from '../../src/encoder/stateful-encoder';
import type { Datum } from '../../src/proto/otel_stateful_logs/v1/stateful_logs';
import { batches } from './roundtrip-arbitraries';

const resource = { attributes: { 'service.name': 'svc' } };
const scope = { name: 'test' };

function record(i: number, attributes: AnyValueMap): LogRecordData {
  return { hrTime: [1_700_000_000, i], hrTimeObserved: [1_700_000_000, i], attributes, droppedAttributesCount: 0, resource, scope, body: `event ${i % 7}` };
}

/** Encodes and decodes each batch (asserting every record equal); returns every state change. */
function roundTrip(options: EncoderOptions, stream: LogRecordData[][]): Datum[] {
  const enc = new StatefulEncoder({ tokenizer: 'js', ...options });
  const dec = new StatefulDecoder();
  const changes: Datum[] = [];
  for (const batch of stream) {
    const encoded = enc.encode(batch);
    changes.push(...encoded.stateChanges);
    const out = dec.decode(encoded.payload);
    expect(out.length).toBe(batch.length);
    for (let k = 0; k < batch.length; k++) if (!isDeepStrictEqual(out[k], batch[k])) expect(out[k]).toStrictEqual(batch[k]);
  }
  return changes;
}

function textDefines(changes: Datum[]): string[] {
  const out: string[] = [];
  for (const d of changes) if (d.kind?.$case === 'dictEntryDefine' && d.kind.dictEntryDefine.value?.$case === 'text') out.push(d.kind.dictEntryDefine.value.text);
  return out;
}

function setDefines(changes: Datum[]): number {
  return changes.filter((d) => d.kind?.$case === 'dictEntryDefine' && d.kind.dictEntryDefine.value?.$case === 'attributes').length;
}

const ENV = 'production-eu-west-cluster';

describe('tagAttributes', () => {
  it('a tag key value is defined in the dictionary at first sight (lazily without the option)', () => {
    const one = [[record(0, { 'deployment.environment': ENV, n: 1 })]];
    expect(textDefines(roundTrip({ tagAttributes: ['deployment.environment'] }, one))).toContain(ENV);
    // without the option the same value waits for a second sighting
    expect(textDefines(roundTrip({}, one))).not.toContain(ENV);
  });

  it('numeric tag values get their (numeric) shape defined at first sight and decode exactly', () => {
    const stream = [[record(0, { 'http.status_code': 200, 'http.route': '/users/:id/orders' }), record(1, { 'http.status_code': 404.5, 'http.route': '/health' })]];
    const texts = textDefines(roundTrip({ tagAttributes: ['http.route', 'http.status_code'] }, stream));
    expect(texts).toContain('/users/:id/orders');
    expect(texts).toContain('/health');
    expect(texts.some((t) => t.startsWith('\u0004'))).toBe(true);
  });
});

describe('untaggedAttributes', () => {
  // every batch repeats the same values: the default promotes them (value and whole set)
  const stream = Array.from({ length: 40 }, (_, b) =>
    Array.from({ length: 16 }, (_, i) => record(b * 16 + i, { 'request.id': 'req-constant-value', 'user.id': 'user-12345', route: '/a' })),
  );

  it('never defines an untagged value, nor a whole set holding one, even after many repeats', () => {
    const changes = roundTrip({ untaggedAttributes: ['request.id', 'user.id'] }, stream);
    const texts = textDefines(changes);
    expect(texts).not.toContain('req-constant-value');
    expect(texts.some((t) => t.startsWith('user-'))).toBe(false);
    expect(setDefines(changes)).toBe(0);
    // the other key of the same records still uses the dictionary as usual (short: at once)
    expect(texts).toContain('/a');
  });

  it('the same stream without the option does define them (the assertions above can fail)', () => {
    const changes = roundTrip({}, stream);
    expect(setDefines(changes) + textDefines(changes).filter((t) => t === 'req-constant-value').length).toBeGreaterThan(0);
  });

  it('values arriving in different key orders and alongside tag keys: lossless', () => {
    const s = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 30 }, (_, i) => {
        const k = b * 30 + i;
        return record(k, k % 3 === 0 ? { env: 'staging', 'request.id': `r-${k}` } : k % 3 === 1 ? { 'request.id': 'x', env: 'prod', ok: true } : { env: 'prod', nested: { a: [1, 2] } });
      }),
    );
    const changes = roundTrip({ tagAttributes: ['env'], untaggedAttributes: ['request.id'] }, s);
    const texts = textDefines(changes);
    expect(texts).toContain('staging');
    expect(texts.some((t) => t === 'x' || t.startsWith('r-'))).toBe(false);
  });

  it('generated streams stay lossless with both options naming common keys', () => {
    const options: EncoderOptions = { tagAttributes: ['method', 'path', 'duration.ms'], untaggedAttributes: ['request.id', 'status'] };
    fc.assert(
      fc.property(batches, (s) => {
        roundTrip(options, s);
      }),
      { numRuns: 80 },
    );
  });
});

describe('option validation', () => {
  it('a key in both lists throws naming the option', () => {
    expect(() => new StatefulEncoder({ tagAttributes: ['a', 'b'], untaggedAttributes: ['b'] })).toThrow(/untaggedAttributes.*"b".*tagAttributes/);
  });

  it('a non-array or an empty or non-string key throws naming the option', () => {
    expect(() => new StatefulEncoder({ tagAttributes: 'a' as unknown as string[] })).toThrow(/'tagAttributes'/);
    expect(() => new StatefulEncoder({ untaggedAttributes: [''] })).toThrow(/'untaggedAttributes'/);
    expect(() => new StatefulEncoder({ tagAttributes: [1 as unknown as string] })).toThrow(/'tagAttributes'/);
  });
});
