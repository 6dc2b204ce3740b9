import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebuildJsonBody, splitJsonBody } from '../../src/encoder/json-preprocessor';

describe('JSON body split', () => {
  it('splits a canonical object into keys, values and the message', () => {
    const body = '{"level":"info","msg":"user 42 logged in","ms":12,"tags":["a"]}';
    const s = splitJsonBody(body)!;
    expect(s.keys).toEqual(['level', 'msg', 'ms', 'tags']);
    expect(s.messageIndex).toBe(1);
    expect(rebuildJsonBody(s.keys, s.values)).toBe(body);
  });

  it('prefers message, then msg, log, text', () => {
    expect(splitJsonBody('{"msg":"a","message":"b"}')!.messageIndex).toBe(1);
    expect(splitJsonBody('{"text":"a","log":"b"}')!.messageIndex).toBe(1);
    expect(splitJsonBody('{"message":1,"msg":"b"}')!.messageIndex).toBe(1);
    expect(splitJsonBody('{"a":"b"}')!.messageIndex).toBe(-1);
  });

  it.each([
    '{ "a": 1 }', '{"a":1.0}', '{"a":1,"a":2}', '{"b":1,"1":2}', '{"a":"\\u0041"}', '{"a":-0}', '[1]', '{"a":1e21}', 'not json {', '{}x',
  ])('sends %j raw (it could not be rebuilt byte-exactly)', (body) => {
    expect(splitJsonBody(body)).toBeUndefined();
  });

  it('rebuilds every split body byte-exactly (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { noNullPrototype: true }), (obj) => {
        const text = JSON.stringify(obj);
        const s = splitJsonBody(text);
        if (s) expect(rebuildJsonBody(s.keys, s.values)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
