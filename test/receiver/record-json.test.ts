import { describe, expect, it } from 'vitest';
import { hrTimeToNanoString, logRecordToJson, toJsonAnyValue } from '../../src/receiver/record-json';

describe('logRecordToJson (OTLP/JSON form)', () => {
  it('maps every AnyValue kind', () => {
    expect(toJsonAnyValue('s')).toEqual({ stringValue: 's' });
    expect(toJsonAnyValue(true)).toEqual({ boolValue: true });
    expect(toJsonAnyValue(42)).toEqual({ intValue: '42' });
    expect(toJsonAnyValue(-(2 ** 53) + 1)).toEqual({ intValue: '-9007199254740991' });
    expect(toJsonAnyValue(1.5)).toEqual({ doubleValue: 1.5 });
    expect(toJsonAnyValue(Number.NaN)).toEqual({ doubleValue: 'NaN' });
    expect(toJsonAnyValue(new Uint8Array([1, 2, 255]))).toEqual({ bytesValue: 'AQL/' });
    expect(toJsonAnyValue(null)).toEqual({});
    expect(toJsonAnyValue(undefined)).toEqual({});
    expect(toJsonAnyValue([1, 'a'])).toEqual({ arrayValue: { values: [{ intValue: '1' }, { stringValue: 'a' }] } });
    expect(toJsonAnyValue({ k: { n: [] } })).toEqual({
      kvlistValue: { values: [{ key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { arrayValue: { values: [] } } }] } } }] },
    });
  });

  it('keeps nanosecond timestamps exact beyond 2^53', () => {
    expect(hrTimeToNanoString([1_700_000_000, 123_456_789])).toBe('1700000000123456789');
    expect(hrTimeToNanoString([0, 1])).toBe('1');
  });

  it('writes the documented keys', () => {
    const json = logRecordToJson({
      hrTime: [1, 2],
      hrTimeObserved: [3, 4],
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'boom',
      attributes: { a: 1 },
      droppedAttributesCount: 0,
      resource: { attributes: { 'service.name': 'x' }, schemaUrl: 'u' },
      scope: { name: 'lib', version: '1.0' },
      spanContext: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
      eventName: 'ev',
    });
    expect(Object.keys(json).sort()).toEqual(
      ['attributes', 'body', 'droppedAttributesCount', 'eventName', 'flags', 'observedTimeUnixNano', 'resource', 'scope', 'severityNumber', 'severityText', 'spanId', 'timeUnixNano', 'traceId'].sort(),
    );
    expect(json.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'x' } }], droppedAttributesCount: 0, schemaUrl: 'u' });
    expect(json.scope).toEqual({ name: 'lib', version: '1.0', attributes: [], droppedAttributesCount: 0 });
    expect(json.timeUnixNano).toBe('1000000002');
    expect(json.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(json.flags).toBe(1);
  });

  it('survives lone surrogates as valid JSON', () => {
    const line = JSON.stringify(logRecordToJson({
      hrTime: [0, 0], hrTimeObserved: [0, 0], body: 'a\ud800b', attributes: {}, droppedAttributesCount: 0,
      resource: { attributes: {} }, scope: { name: '' },
    }));
    expect(JSON.parse(line).body).toEqual({ stringValue: 'a\ud800b' });
  });
});
